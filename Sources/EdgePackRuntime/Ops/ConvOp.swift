import EdgePackFormat

/// Float Conv1D / Conv2D: inputs x [N, C, (H,) W], weight [Cout, C/groups, (KH,) KW],
/// bias [Cout] (optional), PReLU slope (when fused). Depthwise weights run DepthwiseConvOp.
struct ConvOp {
    var geometry: ConvGeometry
    var activation: FusedActivation

    static func prepare(_ c: OpContext, is1D: Bool) throws(RuntimeError) -> PreparedOp {
        let p = try c.options(ConvParams.self)
        let x = try c.input(0, .float32, "input")
        let w = try c.constant(1, .float32, "weight")
        let bias = try c.optionalInput(2, .float32, "bias")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape, ws = c.tensor(w).shape
        let rank = is1D ? 3 : 4
        guard xs.count == rank, ws.count == rank else { throw c.fail("input and weight must have rank \(rank), have \(xs) and \(ws)") }
        let g = try c.convGeometry(p, is1D: is1D, batch: xs[0], channels: xs[1], inH: is1D ? 1 : xs[2], inW: xs[rank - 1],
                                   outChannels: ws[0], kernelH: is1D ? 1 : ws[2], kernelW: ws[rank - 1])
        guard ws[1] == g.inChannels / g.groups else {
            throw c.fail("weight has \(ws[1]) input channels per group, input gives \(g.inChannels / g.groups)")
        }
        if let bias { try c.expectChannelVector(bias, g.outChannels, "bias") }
        try c.expectShape(out, c.convOutputShape(g, is1D: is1D), "output")
        let inputs = try c.withSlope([x, w, bias ?? -1], p.activation, slot: 3, channels: g.outChannels)
        if g.groups > 1 && g.groups == g.inChannels && ws[1] == 1 {
            return PreparedOp(c, inputs: inputs, output: out,
                              kernel: .depthwiseConv(DepthwiseConvOp(geometry: g, activation: p.activation,
                                                                     weightsFinite: depthwiseWeightsAreFinite(c.floats(w), g))))
        }
        var prepared = PreparedOp(c, inputs: inputs, output: out, kernel: .conv(ConvOp(geometry: g, activation: p.activation)))
        prepared.scratchSizes = [conv2dFloatPartBytes(g, c.workers)]
        prepared.weights = convWeightPlan(g)
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        conv2dFloat(op.read(0), preparedWeights: op.preparedWeights(), op.readOptional(2), geometry, ip.activation(op, activation),
                    cols: op.scratch(0, as: Float.self), op.write(), pool: ip.workers)
    }
}
