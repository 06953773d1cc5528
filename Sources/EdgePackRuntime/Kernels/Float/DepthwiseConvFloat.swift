/// Depthwise float convolution (groups = inC, outC = inC * multiplier), direct loops: im2col
/// would copy each input value taps-times for a single multiply each.
/// input: [batch, inC, inSpatial]; weights: [outC, 1, KH, KW]; output: [batch, outC, outSpatial].
public func depthwiseConvFloat(_ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                               _ g: ConvGeometry, _ output: UnsafeMutablePointer<Float>) {
    let multiplier = g.outChannels / g.inChannels
    for n in 0..<g.batch {
        for oc in 0..<g.outChannels {
            let plane = input + (n * g.inChannels + oc / multiplier) * g.inSpatial
            let w = weights + oc * g.taps
            let out = output + (n * g.outChannels + oc) * g.outSpatial
            let b: Float = bias.map { $0[oc] } ?? 0
            for oy in 0..<g.outH {
                for ox in 0..<g.outW {
                    var s: Float = 0
                    for ky in 0..<g.kernelH {
                        let y = g.inY(oy, ky)
                        if y < 0 || y >= g.inH { continue }
                        for kx in 0..<g.kernelW {
                            let x = g.inX(ox, kx)
                            if x < 0 || x >= g.inW { continue }
                            s = s.addingProduct(plane[y * g.inW + x], w[ky * g.kernelW + kx])
                        }
                    }
                    out[oy * g.outW + ox] = s + b
                }
            }
        }
    }
}
