// Binary convolution, groups = 1 (Conv1D is the H = 1 case): gather each output pixel's taps
// of channel-packed words (im2col over words, 0 outside the input), binary GEMM against the
// packed weights, then the output transform with the exact-padding correction.

/// input: [batch, inSpatial, words]; weights: [outChannels, taps, words];
/// cols: scratch [outSpatial, taps * words]; counts: scratch [outSpatial, outChannels];
/// output: [batch, outChannels, outSpatial].
public func bconv2d(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                    _ g: ConvGeometry, _ plan: BConvPlan, _ t: OutputTransform,
                    cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>,
                    _ output: UnsafeMutablePointer<Float>) {
    let taps = g.taps, rowWords = taps * words, P = g.outSpatial, N = g.outChannels
    for n in 0..<g.batch {
        let image = input + n * g.inSpatial * words
        let rows: UnsafePointer<UInt64>
        if g.isPointwise {
            rows = image
        } else {
            for oy in 0..<g.outH {
                for ox in 0..<g.outW {
                    let dst = cols + (oy * g.outW + ox) * rowWords
                    for ky in 0..<g.kernelH {
                        let y = g.inY(oy, ky)
                        for kx in 0..<g.kernelW {
                            let x = g.inX(ox, kx)
                            let tap = dst + (ky * g.kernelW + kx) * words
                            if y >= 0 && y < g.inH && x >= 0 && x < g.inW {
                                tap.update(from: image + (y * g.inW + x) * words, count: words)
                            } else {
                                tap.update(repeating: 0, count: words)
                            }
                        }
                    }
                }
            }
            rows = UnsafePointer(cols)
        }
        bgemmPopcount(rows, m: P, weights, n: N, words: rowWords, counts)
        let out = output + n * N * P
        let kPerTap = Int32(g.inChannels)
        plan.tapPopcounts.withUnsafeBufferPointer { tapPop in
            for p in 0..<P {
                let mask = plan.masks[p]
                let row = counts + p * N
                let validK = Int32(mask.nonzeroBitCount) * kPerTap
                if mask == plan.fullMask {
                    for c in 0..<N { out[c * P + p] = t.apply(Float(validK - 2 * row[c]), channel: c) }
                } else {
                    for c in 0..<N {
                        var padded: Int32 = 0
                        var missing = plan.fullMask & ~mask
                        while missing != 0 {
                            padded += tapPop[c * taps + missing.trailingZeroBitCount]
                            missing &= missing - 1
                        }
                        out[c * P + p] = t.apply(Float(validK - 2 * (row[c] - padded)), channel: c)
                    }
                }
            }
        }
    }
}
