// Binary convolution, groups = 1 (Conv1D is the H = 1 case): gather each output pixel's taps
// of channel-packed words (im2col over words, 0 outside the input; dense tap rows under 64
// input channels, BConvDenseTaps), binary GEMM against the packed weights, the exact-padding
// correction, then the output transform: float planar output, or (bit-packed output) sign bits
// channels-last.

/// input: [batch, inSpatial, words]; weights: [outChannels, taps, words];
/// cols: scratch [outSpatial, taps * words]; counts: scratch [outSpatial, outChannels];
/// output: [batch, outChannels, outSpatial].
public func bconv2d(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                    _ g: ConvGeometry, _ plan: BConvPlan, _ t: OutputTransform,
                    cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>,
                    _ output: UnsafeMutablePointer<Float>) {
    let P = g.outSpatial, N = g.outChannels
    plan.validK.withUnsafeBufferPointer { validK in
        for n in 0..<g.batch {
            bconvCounts(input + n * g.inSpatial * words, weights, words: words, g, plan, channelMajor: true,
                        cols: cols, counts: counts)
            let out = output + n * N * P
            for c in 0..<N { transformChannel(counts + c * P, validK: validK.baseAddress!, count: P, t, channel: c, out + c * P) }
        }
    }
}

/// The same convolution with a bit-packed output: [batch, outSpatial, (outChannels + 63) / 64].
public func bconv2dPacked(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                          _ g: ConvGeometry, _ plan: BConvPlan, _ signs: SignThresholds,
                          cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>,
                          _ output: UnsafeMutablePointer<UInt64>) {
    let P = g.outSpatial, N = g.outChannels, outWords = (N + 63) >> 6
    signs.withPointers { t in
        for n in 0..<g.batch {
            bconvCounts(input + n * g.inSpatial * words, weights, words: words, g, plan, channelMajor: false,
                        cols: cols, counts: counts)
            let out = output + n * P * outWords
            for p in 0..<P { packSignRow(counts + p * N, n: N, validK: plan.validK[p], t, out + p * outWords) }
        }
    }
}

/// One image's xor counts, [outSpatial, outChannels] or (channelMajor) [outChannels, outSpatial]
/// as the output transform reads them, corrected at padded pixels so that
/// dot = validK[p] - 2 * count everywhere.
@inline(__always)
func bconvCounts(_ image: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                 _ g: ConvGeometry, _ plan: BConvPlan, channelMajor: Bool,
                 cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>) {
    let taps = g.taps, P = g.outSpatial, N = g.outChannels
    @inline(__always) func gemm(_ rows: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, _ rowWords: Int) {
        if channelMajor {
            bgemmPopcount(weights, m: N, rows, n: P, words: rowWords, counts)
        } else {
            bgemmPopcount(rows, m: P, weights, n: N, words: rowWords, counts)
        }
    }
    if g.isPointwise {
        gemm(image, weights, words)
    } else if !plan.denseWeights.isEmpty {
        plan.masks.withUnsafeBufferPointer { gatherDenseTaps(image, g, masks: $0.baseAddress!, fullMask: plan.fullMask, cols) }
        #if arch(x86_64)
        if !plan.denseWeightsT.isEmpty {
            plan.denseWeightsT.withUnsafeBufferPointer {
                bgemmSmallDepth($0.baseAddress!, m: N, cols, n: P, words: denseTapWords(g), counts,
                                iStride: channelMajor ? P : 1, jStride: channelMajor ? 1 : N)
            }
        } else {
            plan.denseWeights.withUnsafeBufferPointer { gemm(cols, $0.baseAddress!, denseTapWords(g)) }
        }
        #else
        plan.denseWeights.withUnsafeBufferPointer { gemm(cols, $0.baseAddress!, denseTapWords(g)) }
        #endif
    } else {
        let rowWords = taps * words
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
        gemm(cols, weights, rowWords)
    }
    if plan.hasPadding {
        let (pixelStride, channelStride) = channelMajor ? (1, P) : (N, 1)
        plan.tapPopcounts.withUnsafeBufferPointer { tapPop in
            for p in 0..<P where plan.masks[p] != plan.fullMask {
                let missingTaps = plan.fullMask & ~plan.masks[p]
                for c in 0..<N {
                    var padded: Int32 = 0
                    var missing = missingTaps
                    while missing != 0 {
                        padded += tapPop[c * taps + missing.trailingZeroBitCount]
                        missing &= missing - 1
                    }
                    counts[p * pixelStride + c * channelStride] -= padded
                }
            }
        }
    }
}
