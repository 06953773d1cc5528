import EdgePackFormat

/// MatMul: a [batch..., M, K] by b [batch..., K, N] or [K, N]. A constant b is transposed once
/// at load; a run-time b is transposed into scratch on every run.
struct MatMulOp {
    var batch: Int
    var m: Int
    var k: Int
    var n: Int
    /// b holds one matrix per batch (else one shared matrix).
    var bPerBatch: Bool
    var constantB: Bool

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(NoOptions.self)
        let a = try c.input(0, .float32, "first input")
        let b = try c.input(1, .float32, "second input")
        let out = try c.output(.float32)
        let sa = c.tensor(a).shape, sb = c.tensor(b).shape
        guard sa.count >= 2, sb.count >= 2 else { throw c.fail("inputs must have rank >= 2, have \(sa) and \(sb)") }
        let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
        guard sb[sb.count - 2] == k else { throw c.fail("inner dimensions differ: \(sa) × \(sb)") }
        let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
        guard batchB.isEmpty || batchB.reduce(1, *) == 1 || batchB == batchA else {
            throw c.fail("batch dimensions \(batchA) and \(batchB) do not match")
        }
        var expected = batchA; expected.append(m); expected.append(n)
        try c.expectShape(out, expected, "output")
        let constantB = c.tensor(b).isConstant
        var prepared = PreparedOp(c, inputs: [a, b], output: out, kernel: .matmul(MatMulOp(
            batch: batchA.reduce(1, *), m: m, k: k, n: n, bPerBatch: batchB.reduce(1, *) != 1, constantB: constantB)))
        if constantB {
            prepared.weights = WeightPlan(layout: .transposedB(k: k, n: n), count: c.tensor(b).elementCount)
        } else {
            prepared.scratchSizes = [n * k * 4]
        }
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if constantB {
            batchedMatMul(op.read(0), transposedB: op.preparedWeights(), batch: batch, bPerBatch: bPerBatch,
                          m: m, k: k, n: n, op.write())
        } else {
            batchedMatMul(op.read(0), op.read(1), batch: batch, bPerBatch: bPerBatch,
                          m: m, k: k, n: n, transposedB: op.scratch(0, as: Float.self), op.write())
        }
    }
}
