import CEdgePackSys

/// Depthwise float convolution (groups = inC, outC = inC * multiplier), direct loops: im2col
/// would copy each input value taps-times for a single multiply each.
/// input: [batch, inC, inSpatial]; weights: [outC, 1, KH, KW]; output: [batch, outC, outSpatial].
///
/// Each tap is applied to a whole output row over the columns whose input is inside the image,
/// so the inner loop has no bounds tests and vectorizes along the row. Every output still sums
/// its taps in (ky, kx) order from zero, then adds the bias: the same bits as one output at a time.
public func depthwiseConvFloat(_ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                               _ g: ConvGeometry, _ output: UnsafeMutablePointer<Float>) {
    let multiplier = g.outChannels / g.inChannels
    let sw = g.strideW
    for n in 0..<g.batch {
        for oc in 0..<g.outChannels {
            let plane = input + (n * g.inChannels + oc / multiplier) * g.inSpatial
            let w = weights + oc * g.taps
            let out = output + (n * g.outChannels + oc) * g.outSpatial
            out.update(repeating: 0, count: g.outSpatial)
            for oy in 0..<g.outH {
                let row = out + oy * g.outW
                for ky in 0..<g.kernelH {
                    let y = g.inY(oy, ky)
                    if y < 0 || y >= g.inH { continue }
                    let src = plane + y * g.inW
                    for kx in 0..<g.kernelW {
                        let (lo, hi) = validColumns(offset: kx * g.dilationW - g.padLeft, g)
                        if lo >= hi { continue }
                        let wk = w[ky * g.kernelW + kx]
                        let from = src + (lo * sw + kx * g.dilationW - g.padLeft), to = row + lo
                        // to[i] = fma(from[i * sw], wk, to[i]); C for the host's FMA dispatch (Gemm.swift)
                        ep_fma_row(to, from, sw, wk, hi - lo)
                    }
                }
            }
            if let bias {
                let b = bias[oc]
                for i in 0..<g.outSpatial { out[i] += b }
            }
        }
    }
}

/// Output columns [lo, hi) whose input column ox * strideW + offset lies inside [0, inW).
@inline(__always) private func validColumns(offset: Int, _ g: ConvGeometry) -> (Int, Int) {
    let s = g.strideW
    if s == 1 { return (max(0, -offset), min(g.outW, g.inW - offset)) }   // no division on the common path
    let lo = offset >= 0 ? 0 : (-offset + s - 1) / s
    let last = g.inW - 1 - offset
    let hi = last < 0 ? 0 : min(g.outW, last / s + 1)
    return (lo, hi)
}
