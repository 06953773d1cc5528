/// Ops that rearrange elements; the rules reuse the evaluator's shape arithmetic.
enum LayoutShapes {
    static func register(_ r: inout [String: ShapeInference.Rule]) {
        r["Reshape"] = { c in
            guard let spec = try c.constantIntegers(1) else { throw c.fail("shape input is missing") }
            let allowZero = try c.node.int("allowzero", default: 0) != 0
            return [ValueInfo(dtype: try c.dtype(0), shape: try Evaluator.reshapeTarget(try c.shape(0), spec, allowZero: allowZero))]
        }
        r["Flatten"] = { c in
            [ValueInfo(dtype: try c.dtype(0), shape: try Evaluator.flattenShape(try c.shape(0), axis: try c.node.int("axis", default: 1)))]
        }
        r["Squeeze"] = { c in
            [ValueInfo(dtype: try c.dtype(0), shape: try Evaluator.squeezedShape(try c.shape(0), axes: try c.axes(input: 1)))]
        }
        r["Unsqueeze"] = { c in
            guard let axes = try c.axes(input: 1) else { throw c.fail("axes are missing") }
            return [ValueInfo(dtype: try c.dtype(0), shape: try Evaluator.unsqueezedShape(try c.shape(0), axes: axes))]
        }
        r["Transpose"] = { c in
            let x = try c.shape(0)
            let perm = try Evaluator.transposePerm(try c.node.ints("perm"), rank: x.count)
            return [ValueInfo(dtype: try c.dtype(0), shape: perm.map { x[$0] })]
        }
        r["Concat"] = { c in
            let shapes = try (0..<c.inputs.count).map { try c.shape($0) }
            guard let first = shapes.first, let a = try c.node.int("axis") else { throw c.fail("needs inputs and an axis") }
            let axis = try normalizedAxis(a, rank: first.count)
            var out = first
            out[axis] = 0
            for s in shapes {
                guard s.count == first.count, (0..<s.count).allSatisfy({ $0 == axis || s[$0] == first[$0] }) else {
                    throw c.fail("inputs \(shapes) do not match outside axis \(a)")
                }
                out[axis] += s[axis]
            }
            return [ValueInfo(dtype: try c.dtype(0), shape: out)]
        }
        r["Slice"] = { c in
            var x = try c.shape(0)
            guard let starts = try c.constantIntegers(1), let ends = try c.constantIntegers(2) else { throw c.fail("starts/ends are missing") }
            let axes = try c.constantIntegers(3) ?? (0..<Int64(starts.count)).map { $0 }
            let steps = try c.constantIntegers(4) ?? [Int64](repeating: 1, count: starts.count)
            guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
                throw c.fail("starts/ends/axes/steps have different lengths")
            }
            for i in 0..<starts.count {
                let k = try normalizedAxis(axes[i], rank: x.count)
                x[k] = try Evaluator.sliceRange(dim: x[k], start: starts[i], end: ends[i], step: steps[i]).count
            }
            return [ValueInfo(dtype: try c.dtype(0), shape: x)]
        }
        r["Gather"] = { c in
            let x = try c.shape(0), ind = try c.shape(1)
            let axis = try normalizedAxis(try c.node.int("axis", default: 0), rank: x.count)
            return [ValueInfo(dtype: try c.dtype(0), shape: Array(x[..<axis]) + ind + Array(x[(axis + 1)...]))]
        }
        r["Pad"] = { c in
            var x = try c.shape(0)
            guard let pads = try c.constantIntegers(1) ?? c.node.ints("pads") else { throw c.fail("pads are missing") }
            let axes = try c.constantIntegers(3).map { try $0.map { try normalizedAxis($0, rank: x.count) } } ?? Array(0..<x.count)
            guard pads.count == 2 * axes.count, pads.allSatisfy({ $0 >= -(1 << 24) && $0 <= 1 << 24 }) else { throw c.fail("pads \(pads) for \(axes.count) axes") }
            for (i, k) in axes.enumerated() {
                let n = Int64(x[k]) + pads[i] + pads[i + axes.count]
                guard n >= 0 else { throw c.fail("pads \(pads) remove more than axis \(k) holds") }
                x[k] = Int(n)
            }
            return [ValueInfo(dtype: try c.dtype(0), shape: x)]
        }
        r["Expand"] = { c in
            guard let spec = try c.constantIntegers(1) else { throw c.fail("shape input is missing") }
            return [ValueInfo(dtype: try c.dtype(0), shape: try Broadcast.shape([try c.shape(0), try Evaluator.checkedShape(spec)]))]
        }
        r["Tile"] = { c in
            let x = try c.shape(0)
            guard let reps = try c.constantIntegers(1), reps.count == x.count, reps.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
                throw c.fail("repeats must be a constant with one non-negative entry per axis")
            }
            return [ValueInfo(dtype: try c.dtype(0), shape: try Evaluator.checkedShape(zip(x, reps).map { Int64($0) * $1 }))]
        }
    }
}
