import EdgePackFormat

/// Float Conv1D / Conv2D: inputs x [N, C, (H,) W], weight [Cout, C/groups, (KH,) KW],
/// bias [Cout] (optional), PReLU slope (when fused).
func prepareConv(_ c: OpContext, is1D: Bool) throws(RuntimeError) -> PreparedOp {
    guard case .conv(let p) = c.op.options else { throw c.fail("options are not ConvOptions") }
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
    var prepared = PreparedOp(kind: .convFloat, index: c.index, inputs: [x, w, bias ?? -1], output: out)
    prepared.geometry = g
    prepared.activation = p.activation
    if p.activation.kind == .prelu {
        let slope = try c.constant(3, .float32, "PReLU slope")
        try c.expectChannelVector(slope, g.outChannels, "PReLU slope", allowScalar: true)
        prepared.inputs.append(slope)
    }
    if g.groups > 1 && g.groups == g.inChannels && ws[1] == 1 {
        prepared.kind = .convDepthwiseFloat
    } else {
        prepared.scratchSizes = [conv2dFloatColumnBytes(g)]
        prepared.packedWeightCount = conv2dFloatPackedWeightCount(g)
    }
    return prepared
}
