import EdgePackFormat

/// Binary Gemm: packed x [..., K], packed weight [N, K], scale [N], bias [N], PReLU slope.
struct BinaryDenseOp {
    var rows: Int
    var n: Int
    var k: Int
    var words: Int
    var activation: FusedActivation

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let act = try c.options(BinaryGemmOptions.self).activation
        let x = try c.input(0, .bit, "packed input")
        let w = try c.constant(1, .bit, "packed weight")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape, ws = c.tensor(w).shape
        guard ws.count == 2, let k = xs.last, ws[1] == k else { throw c.fail("weight \(ws) does not match input \(xs)") }
        let (scale, bias) = try c.outputTransformInputs(ws[0])
        var outShape = xs; outShape[outShape.count - 1] = ws[0]
        try c.expectShape(out, outShape, "output")
        let inputs = try c.withSlope([x, w, scale, bias], act, slot: 4, channels: ws[0])
        let rows = c.tensor(x).elementCount / k
        var prepared = PreparedOp(c, inputs: inputs, output: out,
                                  kernel: .binaryDense(BinaryDenseOp(rows: rows, n: ws[0], k: k, words: (k + 63) / 64, activation: act)))
        prepared.scratchSizes = [rows * ws[0] * 4]
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        binaryDense(op.readWords(0), rows: rows, op.readWords(1), outFeatures: n, words: words,
                    k: k, ip.transform(op, activation), counts: op.scratch(0, as: Int32.self), op.write())
    }
}
