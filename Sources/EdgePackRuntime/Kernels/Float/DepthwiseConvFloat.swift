import CEdgePackSys

/// Depthwise float convolution (groups = inC, outC = inC * multiplier), direct loops: im2col
/// would copy each input value taps-times for a single multiply each.
/// input: [batch, inC, inSpatial]; weights: [outC, 1, KH, KW]; output: [batch, outC, outSpatial].
///
/// Each tap is applied to a whole output row over the columns whose input is inside the image,
/// so the inner loop has no bounds tests and vectorizes along the row. Every output still sums
/// its taps in (ky, kx) order from zero, then adds the bias: the same bits as one output at a time.
/// The loops are C (ep_depthwise_conv) for the host's FMA dispatch (Gemm.swift) and so that short
/// rows (8 outputs in the keyword spotter) cost no call per tap. `weightsFinite`: no weight is inf
/// or NaN (depthwiseWeightsAreFinite, once per model: the weights are constants); the short-row
/// path multiplies padding zeros by the weights, which is exact only for finite ones.
public func depthwiseConvFloat(_ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                               _ g: ConvGeometry, weightsFinite: Bool, _ output: UnsafeMutablePointer<Float>) {
    var shape = ep_conv_shape(
        batch: g.batch, in_c: g.inChannels, in_h: g.inH, in_w: g.inW, out_c: g.outChannels, out_h: g.outH, out_w: g.outW,
        k_h: g.kernelH, k_w: g.kernelW, stride_h: g.strideH, stride_w: g.strideW, pad_top: g.padTop, pad_left: g.padLeft,
        dil_h: g.dilationH, dil_w: g.dilationW)
    ep_depthwise_conv(input, weights, bias, &shape, weightsFinite ? 1 : 0, output)
}

/// Whether none of a depthwise layer's weights [outC, 1, KH, KW] is inf or NaN.
public func depthwiseWeightsAreFinite(_ weights: UnsafePointer<Float>, _ g: ConvGeometry) -> Bool {
    for i in 0..<(g.outChannels * g.taps) where !weights[i].isFinite { return false }
    return true
}
