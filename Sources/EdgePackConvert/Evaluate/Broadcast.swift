/// Numpy-style (multidirectional) broadcasting, as ONNX's elementwise ops define it.
enum Broadcast {
    static func shape(_ shapes: [[Int]]) throws(EvalError) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            for (i, d) in s.enumerated() {
                let k = rank - s.count + i
                if out[k] == 1 { out[k] = d } else if d != 1 && d != out[k] {
                    throw .invalid("shapes \(shapes.map { "\($0)" }.joined(separator: ", ")) do not broadcast")
                }
            }
        }
        guard let n = Tensor.elementCount(out), n <= Evaluator.maxElements else {
            throw .invalid("broadcast shape \(out) is too large")
        }
        return out
    }

    /// Flat index into a tensor of shape `from` for every element of `to` (which `from`
    /// broadcasts to); nil when the shapes are equal (the identity mapping).
    static func sourceIndices(_ from: [Int], to: [Int]) -> [Int]? {
        if from == to { return nil }
        let n = Tensor.elementCount(to) ?? 0
        var step = [Int](repeating: 0, count: to.count)
        var s = 1
        for i in (0..<from.count).reversed() {
            step[to.count - from.count + i] = from[i] == 1 ? 0 : s
            s *= from[i]
        }
        return odometer(to, step: step, count: n)
    }

    /// Offsets `sum(index[k] * step[k])` for all indices of `shape` in row-major order.
    static func odometer(_ shape: [Int], step: [Int], count n: Int) -> [Int] {
        var out = [Int](repeating: 0, count: n)
        guard n > 0 else { return out }
        var counter = [Int](repeating: 0, count: shape.count)
        var off = 0
        for j in 0..<n {
            out[j] = off
            var k = shape.count - 1
            while k >= 0 {
                counter[k] += 1
                off += step[k]
                if counter[k] < shape[k] { break }
                off -= step[k] * shape[k]
                counter[k] = 0
                k -= 1
            }
        }
        return out
    }

    static func map2<A, B, R>(_ a: [A], _ sa: [Int], _ b: [B], _ sb: [Int], to out: [Int], _ f: (A, B) -> R) -> [R] {
        let n = Tensor.elementCount(out) ?? 0
        let ia = sourceIndices(sa, to: out), ib = sourceIndices(sb, to: out)
        var r: [R] = []
        r.reserveCapacity(n)
        for j in 0..<n { r.append(f(a[ia?[j] ?? j], b[ib?[j] ?? j])) }
        return r
    }
}

/// Row-major strides of a shape.
func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in (0..<shape.count).reversed() {
        s[i] = acc
        acc *= shape[i]
    }
    return s
}

/// Normalizes an axis in [-rank, rank) (ONNX's convention for negative axes).
func normalizedAxis(_ axis: Int64, rank: Int) throws(EvalError) -> Int {
    let r = Int64(rank)
    guard axis >= -r, axis < r else { throw .invalid("axis \(axis) is out of range for rank \(rank)") }
    return Int(axis < 0 ? axis + r : axis)
}
