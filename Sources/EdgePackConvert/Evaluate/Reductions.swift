/// ReduceMean/Sum/Max/Min/Prod/L1/L2/SumSquare.
///
/// Float32 sums are added in the order onnxruntime's CPU kernels add them, so a folded mean
/// is bit-identical to what onnxruntime computes (checked against onnxruntime 1.32 by the
/// ConvertEvaluator tests). onnxruntime merges adjacent reduced / kept axes and then:
///  - reduces everything, or the trailing axes of each row ("KR"): Eigen's vectorized sum,
///    4-lane packets starting at the first 16-byte-aligned element (see `packetReduce`);
///  - reduces leading and trailing axes around kept ones ("RKR"): such a sum per trailing
///    block, the blocks added one after another;
///  - reduces middle axes ("KRK"): a matrix product with a ones vector (MLAS, one row), which
///    per output adds groups of 4 terms (each summed left to right), then a pair, then one;
///  - otherwise: one element after another in index order.
/// ReduceL1/L2/SumSquare use the packet sum only when reducing everything; Prod likewise
/// (not checked: products in quantizers are integer shape products).
extension Evaluator {
    static func reduce(_ c: EvalContext) throws -> Tensor {
        let op = c.node.opType
        let x = try c.input(0)
        let keep = try c.node.int("keepdims", default: 1) != 0
        // Axes became an input in opset 13 for ReduceSum and in opset 18 for the others.
        let axesAsInput = (op == "ReduceSum" && c.opset >= 13) || c.opset >= 18
        let fromInput = axesAsInput ? try c.optionalIntegers(1) : nil
        let spec = try fromInput ?? c.node.ints("axes") ?? []
        let noop = try c.node.int("noop_with_empty_axes", default: 0) != 0
        if spec.isEmpty && noop { return x }
        var axes = Set<Int>()
        for a in spec { axes.insert(try normalizedAxis(a, rank: x.rank)) }
        if spec.isEmpty { axes = Set(0..<x.rank) }

        var outShape: [Int] = []
        for k in 0..<x.rank {
            if !axes.contains(k) { outShape.append(x.shape[k]) } else if keep { outShape.append(1) }
        }
        let reduced = axes.map { x.shape[$0] }.reduce(1, *)
        // Output index of every input element: kept axes keep their stride, reduced ones 0.
        let outStrides = strides(x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element })
        let target = Broadcast.odometer(x.shape, step: (0..<x.rank).map { axes.contains($0) ? 0 : outStrides[$0] }, count: x.count)
        let outCount = Tensor.elementCount(outShape) ?? 0
        let pattern = ReductionPattern(shape: x.shape, axes: axes)

        let data: TensorData
        switch x.data {
        case .float32(let v): data = .float32(try reduceFloat32(op, v, target: target, outCount: outCount, reduced: reduced, pattern: pattern))
        case .float64(let v): data = .float64(try reduceSequential(op, v, target: target, outCount: outCount, reduced: reduced))
        case .int64(let v): data = .int64(try reduceInteger(op, v, target: target, outCount: outCount, reduced: reduced))
        case .int32(let v): data = .int32(try reduceInteger(op, v, target: target, outCount: outCount, reduced: reduced))
        case .bool: throw EvalError.invalid("\(op) of BOOL is not supported")
        }
        return Tensor(shape: outShape, data: data)
    }

    private static func reduceFloat32(_ op: String, _ v: [Float], target: [Int], outCount: Int, reduced: Int, pattern: ReductionPattern) throws -> [Float] {
        let transform: ((Float) -> Float)? = switch op {
        case "ReduceL1": { Swift.abs($0) }
        case "ReduceL2", "ReduceSumSquare": { $0 * $0 }
        default: nil
        }
        let isSum = op == "ReduceSum" || op == "ReduceMean"
        let values = transform.map { v.map($0) } ?? v
        var out: [Float]
        switch pattern {
        case .all where isSum || transform != nil:
            out = [packetReduce(values, start: 0, count: values.count, offset: 0, +)]
        case .all where op == "ReduceProd":
            out = [packetReduce(values, start: 0, count: values.count, offset: 0, *)]
        case .rows(let k, let r) where isSum:
            out = (0..<k).map { packetReduce(values, start: $0 * r, count: r, offset: $0 * r, +) }
        case .blocks(let r0, let k, let r1) where isSum:
            out = (0..<k).map { kk in
                var acc: Float = 0
                for i in 0..<r0 {
                    let at = (i * k + kk) * r1
                    acc += packetReduce(values, start: at, count: r1, offset: at, +)
                }
                return acc
            }
        case .middle(let k0, let r, let k1) where isSum:
            out = [Float](repeating: 0, count: k0 * k1)
            for a in 0..<k0 {
                for b in 0..<k1 {
                    out[a * k1 + b] = groupedSum(values, start: a * r * k1 + b, stride: k1, count: r)
                }
            }
        default:
            return try reduceSequential(op, v, target: target, outCount: outCount, reduced: reduced)
        }
        if op == "ReduceMean" { out = out.map { $0 / Float(reduced) } }
        if op == "ReduceL2" { out = out.map { $0.squareRoot() } }
        return out
    }

    /// One element after another in index order, in the element type.
    private static func reduceSequential<F: BinaryFloatingPoint>(_ op: String, _ v: [F], target: [Int], outCount: Int, reduced: Int) throws -> [F] {
        switch op {
        case "ReduceMax", "ReduceMin":
            guard reduced > 0 else { throw EvalError.invalid("\(op) over an empty axis") }
            var out = [F?](repeating: nil, count: outCount)
            let isMax = op == "ReduceMax"
            for (i, e) in v.enumerated() {
                let t = target[i]
                if let cur = out[t] {
                    if e.isNaN || cur.isNaN { out[t] = .nan } else { out[t] = isMax ? Swift.max(cur, e) : Swift.min(cur, e) }
                } else { out[t] = e }
            }
            return out.map { $0 ?? .nan }
        case "ReduceProd":
            var out = [F](repeating: 1, count: outCount)
            for (i, e) in v.enumerated() { out[target[i]] *= e }
            return out
        default:
            var out = [F](repeating: 0, count: outCount)
            switch op {
            case "ReduceL1": for (i, e) in v.enumerated() { out[target[i]] += Swift.abs(e) }
            case "ReduceL2", "ReduceSumSquare": for (i, e) in v.enumerated() { out[target[i]] += e * e }
            default: for (i, e) in v.enumerated() { out[target[i]] += e }
            }
            if op == "ReduceMean" { out = out.map { $0 / F(reduced) } }
            if op == "ReduceL2" { out = out.map { $0.squareRoot() } }
            return out
        }
    }

    private static func reduceInteger<I: FixedWidthInteger & SignedInteger>(_ op: String, _ v: [I], target: [Int], outCount: Int, reduced: Int) throws -> [I] {
        switch op {
        case "ReduceMax", "ReduceMin":
            guard reduced > 0 else { throw EvalError.invalid("\(op) over an empty axis") }
            var out = [I?](repeating: nil, count: outCount)
            for (i, e) in v.enumerated() {
                let t = target[i]
                out[t] = out[t].map { op == "ReduceMax" ? Swift.max($0, e) : Swift.min($0, e) } ?? e
            }
            return out.map { $0 ?? 0 }
        case "ReduceProd":
            var out = [I](repeating: 1, count: outCount)
            for (i, e) in v.enumerated() { out[target[i]] = out[target[i]] &* e }
            return out
        case "ReduceSum", "ReduceMean", "ReduceL1", "ReduceSumSquare":
            var out = [I](repeating: 0, count: outCount)
            for (i, e) in v.enumerated() {
                let term = op == "ReduceL1" ? (e < 0 ? 0 &- e : e) : op == "ReduceSumSquare" ? e &* e : e
                out[target[i]] = out[target[i]] &+ term
            }
            if op == "ReduceMean" {
                guard reduced > 0 else { throw EvalError.invalid("ReduceMean over an empty axis") }
                out = out.map { $0 / I(reduced) }
            }
            return out
        default:
            throw EvalError.invalid("\(op) of integers is not supported")
        }
    }

    /// MLAS's one-row matrix product by a ones vector: groups of 4 terms, then 2, then 1.
    static func groupedSum(_ v: [Float], start: Int, stride: Int, count: Int) -> Float {
        var acc: Float = 0
        var i = 0
        while i + 4 <= count {
            let at = start + i * stride
            acc += ((v[at] + v[at + stride]) + v[at + 2 * stride]) + v[at + 3 * stride]
            i += 4
        }
        if i + 2 <= count {
            acc += v[start + i * stride] + v[start + (i + 1) * stride]
            i += 2
        }
        if i < count { acc += v[start + i * stride] }
        return acc
    }

    /// Eigen's vectorized reduction with 4-lane float packets (SSE and NEON), which onnxruntime
    /// uses for contiguous sums: elements before the first 16-byte boundary (by `offset`, the
    /// position in the tensor, whose buffer is aligned) are added last; the aligned part is
    /// accumulated in two packets (8 elements per step), then one more packet, combined, and
    /// reduced lane-wise as (l0 + l2) + (l1 + l3); the leftover tail goes last, in order.
    static func packetReduce(_ v: [Float], start: Int, count: Int, offset: Int, _ f: (Float, Float) -> Float) -> Float {
        let lanes = 4
        guard count > 0 else { return 0 }
        let alignedStart = Swift.min((lanes - offset % lanes) % lanes, count)
        let alignedSize = (count - alignedStart) / lanes * lanes
        let alignedSize2 = (count - alignedStart) / (2 * lanes) * (2 * lanes)
        guard alignedSize > 0 else {
            var r = v[start]
            for i in 1..<count { r = f(r, v[start + i]) }
            return r
        }
        let a0 = start + alignedStart
        var p0 = Array(v[a0..<(a0 + lanes)])
        if alignedSize > lanes {
            var p1 = Array(v[(a0 + lanes)..<(a0 + 2 * lanes)])
            var i = a0 + 2 * lanes
            while i < a0 + alignedSize2 {
                for l in 0..<lanes {
                    p0[l] = f(p0[l], v[i + l])
                    p1[l] = f(p1[l], v[i + lanes + l])
                }
                i += 2 * lanes
            }
            for l in 0..<lanes { p0[l] = f(p0[l], p1[l]) }
            if alignedSize > alignedSize2 {
                for l in 0..<lanes { p0[l] = f(p0[l], v[a0 + alignedSize2 + l]) }
            }
        }
        var r = f(f(p0[0], p0[2]), f(p0[1], p0[3]))
        for i in 0..<alignedStart { r = f(r, v[start + i]) }
        for i in (alignedStart + alignedSize)..<count { r = f(r, v[start + i]) }
        return r
    }
}

/// The reduction after dropping size-1 axes and merging neighbours of the same kind.
enum ReductionPattern: Equatable {
    case all                                  // only reduced axes
    case rows(count: Int, length: Int)        // kept, then reduced
    case blocks(outer: Int, kept: Int, inner: Int)  // reduced, kept, reduced
    case middle(outer: Int, reduced: Int, inner: Int)  // kept, reduced, kept
    case other

    init(shape: [Int], axes: Set<Int>) {
        var runs: [(reduced: Bool, size: Int)] = []
        for (k, d) in shape.enumerated() where d != 1 {
            let r = axes.contains(k)
            if let last = runs.last, last.reduced == r { runs[runs.count - 1].size *= d } else { runs.append((r, d)) }
        }
        switch runs.count {
        case 1 where runs[0].reduced: self = .all
        case 2 where !runs[0].reduced: self = .rows(count: runs[0].size, length: runs[1].size)
        case 3 where runs[0].reduced: self = .blocks(outer: runs[0].size, kept: runs[1].size, inner: runs[2].size)
        case 3: self = .middle(outer: runs[0].size, reduced: runs[1].size, inner: runs[2].size)
        default: self = .other
        }
    }
}
