/// Constant operands in the forms lowering needs them, or nil when they are not constant in that form.
extension Emitter {
    /// BatchNormalization (inference) as y = x * scale + shift, in float32.
    func batchNormAffine(_ n: Node) throws -> ([Float], [Float])? {
        guard let gamma = constant(n.input(1))?.floats, let beta = constant(n.input(2))?.floats,
              let mean = constant(n.input(3))?.floats, let variance = constant(n.input(4))?.floats,
              gamma.count == beta.count, mean.count == beta.count, variance.count == beta.count else { return nil }
        let eps = try n.float("epsilon") ?? 1e-5
        let scale = zip(gamma, variance).map { $0 / ($1 + eps).squareRoot() }
        let shift = (0..<beta.count).map { beta[$0] - mean[$0] * scale[$0] }
        return (scale, shift)
    }

    /// Constant scalar bounds of a Clip (absent bounds are infinite).
    func clipBounds(_ n: Node) -> (Float, Float)? {
        var lo = -Float.infinity, hi = Float.infinity
        if let name = n.input(1) { guard let v = constant(name)?.floats, v.count == 1 else { return nil }; lo = v[0] }
        if let name = n.input(2) { guard let v = constant(name)?.floats, v.count == 1 else { return nil }; hi = v[0] }
        // The forms a file can hold (OptionsTable.bound): no NaN, each infinity only on its own side.
        guard lo <= hi, lo != .infinity, hi != -.infinity else { return nil }
        return (lo, hi)
    }

    /// Values of a constant that varies only along axis 1 of `shape` (numpy alignment), or a
    /// single value; nil when it varies along another axis.
    func channelVector(_ t: Tensor, _ shape: [Int]) -> [Float]? {
        guard let v = t.floats else { return nil }
        if t.count == 1 { return v }
        guard t.rank <= shape.count, shape.count >= 2 else { return nil }
        let offset = shape.count - t.rank
        for (j, d) in t.shape.enumerated() where d != 1 {
            guard offset + j == 1, d == shape[1] else { return nil }
        }
        return v
    }

    /// A Reduce*'s axes: the constant input 1 (opset 18) or the attribute (before it).
    func reductionAxes(_ n: Node) throws -> [Int64] {
        try constant(n.input(1))?.integers ?? n.ints("axes") ?? []
    }
}
