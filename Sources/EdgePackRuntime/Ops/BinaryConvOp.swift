import EdgePackFormat

/// Binary Conv1D / Conv2D. Inputs: packed activation [N, (H,) W, C], packed weight
/// [Cout, (KH,) KW, C] (groups 1) or [(KH,) KW, C] (depthwise), scale [Cout], bias [Cout],
/// PReLU slope (when fused). Output float [N, Cout, (OH,) OW].
func prepareBinaryConv(_ c: OpContext, is1D: Bool, mode: ExecutionMode) throws(RuntimeError) -> PreparedOp {
    guard case .binaryConv(let p, let cin) = c.op.options else { throw c.fail("options are not BinaryConvOptions") }
    let x = try c.input(0, .bit, "packed input")
    let w = try c.constant(1, .bit, "packed weight")
    let scale = try c.constant(2, .float32, "scale")
    let bias = try c.constant(3, .float32, "bias")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape, ws = c.tensor(w).shape
    let rank = is1D ? 3 : 4
    guard xs.count == rank else { throw c.fail("packed input must have rank \(rank), has \(xs)") }
    guard xs[rank - 1] == cin else { throw c.fail("packed input has \(xs[rank - 1]) channels, options say \(cin)") }
    let depthwise = p.groups > 1
    if depthwise {
        guard p.groups == cin, ws.count == rank - 1, ws[rank - 2] == cin else {
            throw c.fail("depthwise weight must be [\(is1D ? "K" : "KH, KW"), \(cin)] with groups = \(cin), has \(ws), groups \(p.groups)")
        }
    } else {
        guard ws.count == rank, ws[rank - 1] == cin else {
            throw c.fail("weight must be [Cout, \(is1D ? "K" : "KH, KW"), \(cin)], has \(ws)")
        }
    }
    let outChannels = depthwise ? cin : ws[0]
    let kh = is1D ? 1 : (depthwise ? ws[0] : ws[1])
    let kw = depthwise ? ws[rank - 3] : ws[rank - 2]
    let g = try c.convGeometry(p, is1D: is1D, batch: xs[0], channels: cin, inH: is1D ? 1 : xs[1], inW: xs[rank - 2],
                               outChannels: outChannels, kernelH: kh, kernelW: kw)
    guard g.taps <= 64 else { throw c.fail("binary kernels support at most 64 taps, this one has \(g.taps)") }
    try c.expectChannelVector(scale, outChannels, "scale")
    try c.expectChannelVector(bias, outChannels, "bias")
    try c.expectShape(out, c.convOutputShape(g, is1D: is1D), "output")
    let words = (cin + 63) / 64
    var prepared = PreparedOp(kind: depthwise ? .bconvDepthwise : .bconv, index: c.index, inputs: [x, w, scale, bias], output: out)
    prepared.geometry = g
    prepared.words = words
    prepared.activation = p.activation
    if p.activation.kind == .prelu {
        let slope = try c.constant(4, .float32, "PReLU slope")
        try c.expectChannelVector(slope, outChannels, "PReLU slope", allowScalar: true)
        prepared.inputs.append(slope)
    }
    let packed = c.model.constantData(w).bindMemory(to: UInt64.self)
    if mode == .floatReference {
        // Unpack ±1 weights into the float kernels' layouts ([Cout, C, KH, KW] / [C, 1, KH, KW]).
        let taps = g.taps
        var f = [Float](repeating: 0, count: outChannels * (depthwise ? 1 : cin) * taps)
        for oc in 0..<outChannels {
            for t in 0..<taps {
                if depthwise {
                    let bit = (packed[t * words + oc / 64] >> UInt64(oc % 64)) & 1
                    f[oc * taps + t] = bit == 1 ? -1 : 1
                } else {
                    for ci in 0..<cin {
                        let bit = (packed[(oc * taps + t) * words + ci / 64] >> UInt64(ci % 64)) & 1
                        f[(oc * cin + ci) * taps + t] = bit == 1 ? -1 : 1
                    }
                }
            }
        }
        prepared.emulatedWeights = f
        prepared.kind = depthwise ? .bconvDepthwiseEmulated : .bconvEmulated
        if !depthwise { prepared.scratchSizes = [conv2dFloatColumnBytes(g)] }
        let panels = depthwise ? 0 : conv2dFloatPackedWeightCount(g)
        prepared.packedWeightCount = panels > 0 ? panels : f.count
    } else {
        prepared.plan = BConvPlan(g, weights: depthwise ? nil : packed.baseAddress, words: words)
        if !depthwise {
            prepared.scratchSizes = [g.isPointwise ? 0 : g.outSpatial * g.taps * words * 8, g.outSpatial * outChannels * 4]
        }
    }
    return prepared
}
