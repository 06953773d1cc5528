import EdgePackFormat

/// Binary Gemm: packed x [..., K], packed weight [N, K], scale [N], bias [N], PReLU slope.
struct BinaryDenseOp {
    var rows: Int
    var n: Int
    var k: Int
    var words: Int
    var activation: FusedActivation
    /// bitpacked_output: output BIT [..., N] packed on N (inputs as for BinaryConvOp).
    var signOutput: PreparedSignOutput?

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(BinaryGemmOptions.self)
        let act = o.activation
        let x = try c.input(0, .bit, "packed input")
        let w = try c.constant(1, .bit, "packed weight")
        let zeros = try c.zeroMaskInput(x: x)
        let xs = c.tensor(x).shape, ws = c.tensor(w).shape
        guard ws.count == 2, let k = xs.last, ws[1] == k else { throw c.fail("weight \(ws) does not match input \(xs)") }
        var outShape = xs; outShape[outShape.count - 1] = ws[0]
        let rows = c.tensor(x).elementCount / k
        let inputs: [Int], out: Int, signOutput: PreparedSignOutput?
        if let b = o.bitpacked {
            (inputs, out, signOutput) = try c.bitpackedOutput(b, x: x, w: w, activation: act, channels: ws[0],
                                                              maxDot: k, outShape: outShape)
        } else {
            out = try c.output(.float32)
            let (scale, bias) = try c.outputTransformInputs(ws[0])
            try c.expectShape(out, outShape, "output")
            inputs = try c.withSlope([x, w, scale, bias], act, slot: 4, channels: ws[0])
            signOutput = nil
        }
        let words = (k + 63) / 64
        var prepared = PreparedOp(c, inputs: withZeroMask(inputs, zeros), output: out, kernel: .binaryDense(
            BinaryDenseOp(rows: rows, n: ws[0], k: k, words: words, activation: act, signOutput: signOutput)))
        prepared.scratchSizes = [rows * ws[0] * 4] + (zeros != nil ? ZeroScratch.bytes(rows: rows, rowWords: words, n: ws[0]) : [])
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if let zeros = op.zerosPresent(words: rows * words) {
            let counts = op.scratch(0, as: Int32.self), z = op.zeroScratch(from: 1)
            if let signOutput {
                binaryDensePackedZeros(op.readWords(0), zeros: zeros, rows: rows, op.readWords(1), outFeatures: n, words: words,
                                       k: k, signOutput.signs, counts: counts, z, op.writeWords())
            } else {
                binaryDenseZeros(op.readWords(0), zeros: zeros, rows: rows, op.readWords(1), outFeatures: n, words: words,
                                 k: k, ip.transform(op, activation), counts: counts, z, op.write())
            }
        } else if let signOutput {
            binaryDensePacked(op.readWords(0), rows: rows, op.readWords(1), outFeatures: n, words: words,
                              k: k, signOutput.signs, counts: op.scratch(0, as: Int32.self), op.writeWords())
        } else {
            binaryDense(op.readWords(0), rows: rows, op.readWords(1), outFeatures: n, words: words,
                        k: k, ip.transform(op, activation), counts: op.scratch(0, as: Int32.self), op.write())
        }
    }
}
