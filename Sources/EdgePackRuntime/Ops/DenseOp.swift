import EdgePackFormat

/// Float Gemm: x [..., K], weight [N, K], bias [N] (optional), PReLU slope; y [..., N].
struct DenseOp {
    var rows: Int
    var n: Int
    var k: Int
    var activation: FusedActivation

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let act = try c.options(GemmOptions.self).activation
        let x = try c.input(0, .float32, "input")
        let w = try c.constant(1, .float32, "weight")
        let bias = try c.optionalInput(2, .float32, "bias")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape, ws = c.tensor(w).shape
        guard ws.count == 2, let k = xs.last, ws[1] == k else { throw c.fail("weight \(ws) does not match input \(xs) (want [N, \(xs.last ?? 0)])") }
        if let bias { try c.expectChannelVector(bias, ws[0], "bias") }
        var outShape = xs; outShape[outShape.count - 1] = ws[0]
        try c.expectShape(out, outShape, "output")
        let inputs = try c.withSlope([x, w, bias ?? -1], act, slot: 3, channels: ws[0])
        let rows = c.tensor(x).elementCount / k
        var prepared = PreparedOp(c, inputs: inputs, output: out, kernel: .dense(DenseOp(rows: rows, n: ws[0], k: k, activation: act)))
        prepared.scratchSizes = [denseInputBytes(rows: rows, n: ws[0], k: k)]
        prepared.weights = denseWeightPlan(rows: rows, n: ws[0], k: k)
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let y = op.write()
        dense(op.read(0), rows: rows, preparedWeights: op.preparedWeights(), n: n, k: k,
              op.readOptional(2), y, packedX: op.scratch(0, as: Float.self))
        applyActivationRows(y, rows: rows, channels: n, ip.activation(op, activation))
    }
}
