/// Gemm on constants, α·A'·B' + β·C (A', B' transposed when transA/transB): a Linear inside a
/// weight quantizer (BiBench FDA's noise adaptation runs an MLP over the weights).
extension Evaluator {
    static func gemm(_ c: EvalContext) throws -> Tensor {
        var a = try c.input(0), b = try c.input(1)
        guard a.rank == 2, b.rank == 2, a.floats != nil, b.floats != nil else { throw EvalError.invalid("Gemm of \(a.shape) and \(b.shape): two float32 matrices expected") }
        if try c.node.int("transA", default: 0) != 0 { a = transposed(a) }
        if try c.node.int("transB", default: 0) != 0 { b = transposed(b) }
        var y = try matMul(a, b)
        let alpha = try c.node.float("alpha") ?? 1, beta = try c.node.float("beta") ?? 1
        if alpha != 1 { y = try arithmetic("Mul", y, Tensor(shape: [], floats: [alpha])) }
        if c.inputs.count > 2, let bias = c.inputs[2] {
            let scaled = beta == 1 ? bias : try arithmetic("Mul", bias, Tensor(shape: [], floats: [beta]))
            y = try arithmetic("Add", y, scaled)
        }
        return y
    }

    private static func transposed(_ t: Tensor) -> Tensor {
        let (r, k) = (t.shape[0], t.shape[1]), v = t.floats ?? []
        return Tensor(shape: [k, r], floats: (0..<(r * k)).map { i in v[(i % r) * k + i / r] })
    }
}
