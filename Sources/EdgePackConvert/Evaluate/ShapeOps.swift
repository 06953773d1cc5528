/// Ops that only move elements: each computes the output shape and the source index of every
/// output element, so they work for every element type.
extension Evaluator {
    static func shape(_ c: EvalContext) throws -> Tensor {
        try shapeVector(try c.input(0).shape, node: c.node)
    }

    /// Shape's output for an input of shape `s`; opset 15 added start/end (negatives count
    /// from the end, then both are clamped to [0, rank]).
    static func shapeVector(_ s: [Int], node: Node) throws -> Tensor {
        let r = Int64(s.count)
        func clamp(_ v: Int64) -> Int { Int(min(max(v < 0 ? v + r : v, 0), r)) }
        let start = clamp(try node.int("start", default: 0))
        let end = clamp(try node.int("end", default: r))
        let dims = start < end ? Array(s[start..<end]) : []
        return Tensor.vector(dims.map(Int64.init))
    }

    static func reshape(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let allowZero = try c.node.int("allowzero", default: 0) != 0
        return x.reshaped(try reshapeTarget(x.shape, try c.integers(1), allowZero: allowZero))
    }

    /// ONNX Reshape's rules: 0 copies the input dimension (unless allowzero), one -1 is inferred.
    static func reshapeTarget(_ input: [Int], _ spec: [Int64], allowZero: Bool) throws(EvalError) -> [Int] {
        let count = Tensor.elementCount(input) ?? 0
        var out: [Int] = []
        var inferred: Int? = nil
        for (i, d) in spec.enumerated() {
            if d == -1 {
                guard inferred == nil else { throw .invalid("Reshape shape \(spec) has more than one -1") }
                inferred = i
                out.append(1)
            } else if d == 0 && !allowZero {
                guard i < input.count else { throw .invalid("Reshape shape \(spec) copies dimension \(i), input \(input) has none") }
                out.append(input[i])
            } else {
                guard d >= 0, d <= Int64(Int32.max) else { throw .invalid("Reshape shape \(spec) has dimension \(d)") }
                out.append(Int(d))
            }
        }
        guard let known = Tensor.elementCount(out) else { throw .invalid("Reshape shape \(spec) is too large") }
        if let i = inferred {
            guard known > 0, count % known == 0 else { throw .invalid("cannot reshape \(input) to \(spec)") }
            out[i] = count / known
        } else if known != count {
            throw .invalid("cannot reshape \(input) (\(count) elements) to \(out)")
        }
        return out
    }

    static func flatten(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        return x.reshaped(try flattenShape(x.shape, axis: try c.node.int("axis", default: 1)))
    }

    static func flattenShape(_ s: [Int], axis a: Int64) throws(EvalError) -> [Int] {
        let r = Int64(s.count)
        guard a >= -r, a <= r else { throw .invalid("Flatten axis \(a) is out of range for rank \(r)") }
        let axis = Int(a < 0 ? a + r : a)
        return [s[..<axis].reduce(1, *), s[axis...].reduce(1, *)]
    }

    /// Axes come from the `axes` input since opset 13 (the attribute before).
    static func axesArgument(_ c: EvalContext, input: Int) throws -> [Int64]? {
        if let v = try c.optionalIntegers(input) { return v }
        return try c.node.ints("axes")
    }

    static func squeeze(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        return x.reshaped(try squeezedShape(x.shape, axes: try axesArgument(c, input: 1)))
    }

    static func squeezedShape(_ s: [Int], axes: [Int64]?) throws(EvalError) -> [Int] {
        guard let axes else { return s.filter { $0 != 1 } }
        var drop = Set<Int>()
        for a in axes {
            let k = try normalizedAxis(a, rank: s.count)
            guard s[k] == 1 else { throw .invalid("Squeeze axis \(a) has size \(s[k]), not 1") }
            drop.insert(k)
        }
        return s.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }

    static func unsqueeze(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        guard let axes = try axesArgument(c, input: 1) else { throw EvalError.invalid("Unsqueeze needs axes") }
        return x.reshaped(try unsqueezedShape(x.shape, axes: axes))
    }

    static func unsqueezedShape(_ s: [Int], axes: [Int64]) throws(EvalError) -> [Int] {
        let rank = s.count + axes.count
        var ones = Set<Int>()
        for a in axes {
            let k = try normalizedAxis(a, rank: rank)
            guard ones.insert(k).inserted else { throw .invalid("Unsqueeze axes \(axes) repeat an axis") }
        }
        var out: [Int] = []
        var it = s.makeIterator()
        for k in 0..<rank { out.append(ones.contains(k) ? 1 : it.next()!) }
        return out
    }

    static func expand(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let target = try checkedShape(try c.integers(1))
        let out = try Broadcast.shape([x.shape, target])
        return try materialize(x, broadcastTo: out)
    }

    static func materialize(_ x: Tensor, broadcastTo out: [Int]) throws(EvalError) -> Tensor {
        guard let n = Tensor.elementCount(out), n <= maxElements else { throw .invalid("shape \(out) is too large to fold") }
        guard let idx = Broadcast.sourceIndices(x.shape, to: out) else { return x }
        return x.gathering(idx, shape: out)
    }

    static func concat(_ c: EvalContext) throws -> Tensor {
        let parts = try (0..<c.inputs.count).map { i throws(EvalError) in try c.input(i) }
        guard let first = parts.first else { throw EvalError.invalid("Concat without inputs") }
        guard let a = try c.node.int("axis") else { throw c.node.attributeError("axis", "missing") }
        let axis = try normalizedAxis(a, rank: first.rank)
        var outShape = first.shape
        outShape[axis] = 0
        for p in parts {
            guard p.rank == first.rank, p.dtype == first.dtype,
                  (0..<p.rank).allSatisfy({ $0 == axis || p.shape[$0] == first.shape[$0] }) else {
                throw EvalError.invalid("Concat inputs \(parts.map { "\($0.dtype)\($0.shape)" }) do not match on axis \(a)")
            }
            outShape[axis] += p.shape[axis]
        }
        // Joined buffer; output row `o` takes from each part its slab of shape[axis] * inner.
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let outer = first.shape[..<axis].reduce(1, *)
        var base: [Int] = []
        var acc = 0
        for p in parts { base.append(acc); acc += p.count }
        var idx: [Int] = []
        idx.reserveCapacity(acc)
        for o in 0..<outer {
            for (p, b) in zip(parts, base) {
                let slab = p.shape[axis] * inner
                idx += (b + o * slab)..<(b + (o + 1) * slab)
            }
        }
        return Tensor(shape: outShape, data: try TensorData.joined(parts.map(\.data)).gathering(idx))
    }

    static func transpose(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let perm = try transposePerm(try c.node.ints("perm"), rank: x.rank)
        let out = perm.map { x.shape[$0] }
        let st = strides(x.shape)
        return x.gathering(Broadcast.odometer(out, step: perm.map { st[$0] }, count: x.count), shape: out)
    }

    static func transposePerm(_ p: [Int64]?, rank: Int) throws(EvalError) -> [Int] {
        guard let p else { return Array((0..<rank).reversed()) }
        let perm = p.map { Int(clamping: $0) }
        guard perm.count == rank, Set(perm) == Set(0..<rank) else { throw .invalid("perm \(p) is not a permutation of 0..<\(rank)") }
        return perm
    }

    static func slice(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let starts = try c.integers(1), ends = try c.integers(2)
        let axes = try c.optionalIntegers(3) ?? (0..<Int64(starts.count)).map { $0 }
        let steps = try c.optionalIntegers(4) ?? [Int64](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw EvalError.invalid("Slice starts/ends/axes/steps have different lengths")
        }
        var first = [Int](repeating: 0, count: x.rank)
        var step = [Int](repeating: 1, count: x.rank)
        var out = x.shape
        var seen = Set<Int>()
        for i in 0..<starts.count {
            let k = try normalizedAxis(axes[i], rank: x.rank)
            guard seen.insert(k).inserted else { throw EvalError.invalid("Slice axes \(axes) repeat an axis") }
            let r = try sliceRange(dim: x.shape[k], start: starts[i], end: ends[i], step: steps[i])
            first[k] = r.start; step[k] = r.step; out[k] = r.count
        }
        let st = strides(x.shape)
        let origin = zip(first, st).map { $0 * $1 }.reduce(0, +)
        let n = Tensor.elementCount(out) ?? 0
        let idx = Broadcast.odometer(out, step: zip(step, st).map { $0 * $1 }, count: n).map { $0 + origin }
        return x.gathering(idx, shape: out)
    }

    /// ONNX Slice clamping: negatives count from the end; positive steps clamp to [0, dim],
    /// negative steps to [-1, dim - 1].
    static func sliceRange(dim: Int, start: Int64, end: Int64, step: Int64) throws(EvalError) -> (start: Int, step: Int, count: Int) {
        guard step != 0 else { throw .invalid("Slice step is 0") }
        let d = Int64(dim)
        // Checked before adding d so Int64.min / Int64.max ("to the end") cannot overflow.
        var s = start < 0 ? (start < -d ? -1 : start + d) : start
        var e = end < 0 ? (end < -d ? -1 : end + d) : end
        if step > 0 {
            s = min(max(s, 0), d); e = min(max(e, 0), d)
            let st = min(step, d + 1)      // any larger step takes one element; keeps sums in range
            let n = e > s ? (e - s + st - 1) / st : 0
            return (Int(s), Int(step), Int(n))
        } else {
            s = min(max(s, 0), d - 1); e = min(max(e, -1), d - 1)
            let m = min(step == .min ? Int64.max : -step, d + 1)
            let n = s > e ? (s - e + m - 1) / m : 0
            return (Int(s), Int(clamping: step), Int(n))
        }
    }

    static func gather(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let indices = try c.input(1)
        guard let ind = indices.integers else { throw EvalError.invalid("Gather indices must be int64 or int32") }
        let axis = try normalizedAxis(try c.node.int("axis", default: 0), rank: x.rank)
        let dim = x.shape[axis]
        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        var rows: [Int] = []
        for i in ind {
            guard i >= -Int64(dim), i < Int64(dim) else { throw EvalError.invalid("Gather index \(i) is out of range for dimension \(dim)") }
            rows.append(Int(i < 0 ? i + Int64(dim) : i))
        }
        let (n1, o1) = outer.multipliedReportingOverflow(by: rows.count)
        let (total, o2) = n1.multipliedReportingOverflow(by: inner)
        guard !o1, !o2, total <= maxElements else { throw EvalError.invalid("Gather output is too large to fold") }
        var idx: [Int] = []
        idx.reserveCapacity(total)
        for o in 0..<outer { for r in rows { idx += (o * dim + r) * inner..<(o * dim + r + 1) * inner } }
        let out = Array(x.shape[..<axis]) + indices.shape + Array(x.shape[(axis + 1)...])
        return x.gathering(idx, shape: out)
    }

    static func tile(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let reps = try c.integers(1)
        guard reps.count == x.rank, reps.allSatisfy({ $0 >= 0 }) else { throw EvalError.invalid("Tile repeats \(reps) for rank \(x.rank)") }
        let out = try checkedShape(try zip(x.shape, reps).map { (d, r) throws(EvalError) -> Int64 in
            let (v, o) = Int64(d).multipliedReportingOverflow(by: r)
            guard !o else { throw .invalid("Tile repeats \(reps) overflow") }
            return v
        })
        let n = Tensor.elementCount(out) ?? 0
        let st = strides(x.shape)
        var idx = [Int](repeating: 0, count: n)
        var counter = [Int](repeating: 0, count: out.count)
        for j in 0..<n {
            var off = 0
            for k in 0..<out.count { off += (counter[k] % x.shape[k]) * st[k] }
            idx[j] = off
            var k = out.count - 1
            while k >= 0 { counter[k] += 1; if counter[k] < out[k] { break }; counter[k] = 0; k -= 1 }
        }
        return x.gathering(idx, shape: out)
    }
}
