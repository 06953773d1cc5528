// Binary convolution, groups = 1 (Conv1D is the H = 1 case): gather each output pixel's taps
// of channel-packed words (im2col over words, 0 outside the input; dense tap rows under 64
// input channels, BConvDenseTaps), binary GEMM against the packed weights, the exact-padding
// correction, then the output transform: float planar output, or (bit-packed output) sign bits
// channels-last. Threads take blocks of output pixels (BConvParallel.swift); every step works
// on a block at a time, so a pixel's result never depends on how the pixels were split.

/// Where a binary convolution writes: float planar output [batch, outChannels, outSpatial]
/// through the output transform, or sign bits [batch, outSpatial, (outChannels + 63) / 64].
public enum BConvOutput {
    case float(OutputTransform, UnsafeMutablePointer<Float>)
    case packed(SignThresholds, UnsafeMutablePointer<UInt64>)
}

/// input: [batch, inSpatial, words]; weights: [outChannels, taps, words];
/// cols: scratch [outSpatial, taps * words]; counts: scratch [outSpatial, outChannels];
/// output: [batch, outChannels, outSpatial].
public func bconv2d(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                    _ g: ConvGeometry, _ plan: BConvPlan, _ t: OutputTransform,
                    cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>,
                    _ output: UnsafeMutablePointer<Float>) {
    bconv2dPixels(input, weights, words: words, g, plan, .float(t, output), pixels: 0..<g.outSpatial, cols: cols, counts: counts)
}

/// The same convolution with a bit-packed output: [batch, outSpatial, (outChannels + 63) / 64].
public func bconv2dPacked(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                          _ g: ConvGeometry, _ plan: BConvPlan, _ signs: SignThresholds,
                          cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>,
                          _ output: UnsafeMutablePointer<UInt64>) {
    bconv2dPixels(input, weights, words: words, g, plan, .packed(signs, output), pixels: 0..<g.outSpatial, cols: cols, counts: counts)
}

/// The convolution of every image at output pixels `pixels` only.
@inline(__always)
func bconv2dPixels(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                   _ g: ConvGeometry, _ plan: BConvPlan, _ output: BConvOutput, pixels: Range<Int>,
                   cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>) {
    let P = g.outSpatial, N = g.outChannels, p0 = pixels.lowerBound
    for n in 0..<g.batch {
        let image = input + n * g.inSpatial * words
        switch output {
        case .float(let t, let output):
            bconvCounts(image, weights, words: words, g, plan, channelMajor: true, pixels: pixels, cols: cols, counts: counts)
            let out = output + n * N * P
            plan.validK.withUnsafeBufferPointer { validK in
                for c in 0..<N {
                    transformChannel(counts + c * P + p0, validK: validK.baseAddress! + p0, count: pixels.count, t, channel: c,
                                     out + c * P + p0)
                }
            }
        case .packed(let signs, let output):
            bconvCounts(image, weights, words: words, g, plan, channelMajor: false, pixels: pixels, cols: cols, counts: counts)
            let outWords = (N + 63) >> 6, out = output + n * P * outWords
            signs.withPointers { t in
                for p in pixels { packSignRow(counts + p * N, n: N, validK: plan.validK[p], t, out + p * outWords) }
            }
        }
    }
}

/// One image's xor counts at output pixels `pixels`, in [outSpatial, outChannels] or
/// (channelMajor) [outChannels, outSpatial] as the output transform reads them, corrected at
/// padded pixels so that dot = validK[p] - 2 * count everywhere. Writes only those pixels'
/// rows of `cols` and entries of `counts`.
@inline(__always)
func bconvCounts(_ image: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                 _ g: ConvGeometry, _ plan: BConvPlan, channelMajor: Bool, pixels: Range<Int>,
                 cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>) {
    let taps = g.taps, P = g.outSpatial, N = g.outChannels
    let p0 = pixels.lowerBound, pn = pixels.count
    @inline(__always) func gemm(_ rows: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, _ rowWords: Int) {
        if channelMajor {
            bgemmPopcount(weights, m: N, rows + p0 * rowWords, n: pn, words: rowWords, counts + p0, ldc: P)
        } else {
            bgemmPopcount(rows + p0 * rowWords, m: pn, weights, n: N, words: rowWords, counts + p0 * N)
        }
    }
    if g.isPointwise {
        gemm(image, weights, words)
    } else if !plan.denseWeights.isEmpty {
        plan.masks.withUnsafeBufferPointer {
            gatherDenseTaps(image, g, masks: $0.baseAddress!, fullMask: plan.fullMask, pixels: pixels, cols)
        }
        #if arch(x86_64)
        if !plan.denseWeightsT.isEmpty {
            let dw = denseTapWords(g)
            plan.denseWeightsT.withUnsafeBufferPointer {
                bgemmSmallDepth($0.baseAddress!, m: N, cols + p0 * dw, n: pn, words: dw,
                                counts + (channelMajor ? p0 : p0 * N), iStride: channelMajor ? P : 1, jStride: channelMajor ? 1 : N)
            }
        } else {
            plan.denseWeights.withUnsafeBufferPointer { gemm(cols, $0.baseAddress!, denseTapWords(g)) }
        }
        #else
        plan.denseWeights.withUnsafeBufferPointer { gemm(cols, $0.baseAddress!, denseTapWords(g)) }
        #endif
    } else {
        let rowWords = taps * words
        for p in pixels {
            let oy = p / g.outW, ox = p % g.outW
            let dst = cols + p * rowWords
            // Taps of one kernel row whose x lies inside the input, [kx0, kx1): with dilation 1
            // they are one contiguous run of words in the input and in the row.
            var kx0 = 0, kx1 = g.kernelW
            while kx0 < kx1 && g.inX(ox, kx0) < 0 { kx0 += 1 }
            while kx1 > kx0 && g.inX(ox, kx1 - 1) >= g.inW { kx1 -= 1 }
            for ky in 0..<g.kernelH {
                let y = g.inY(oy, ky)
                let row = dst + ky * g.kernelW * words
                guard y >= 0 && y < g.inH, kx0 < kx1 else {
                    clearWords(row, g.kernelW * words)
                    continue
                }
                clearWords(row, kx0 * words)
                if g.dilationW == 1 {
                    copyWords(row + kx0 * words, image + (y * g.inW + g.inX(ox, kx0)) * words, (kx1 - kx0) * words)
                } else {
                    for kx in kx0..<kx1 { copyWords(row + kx * words, image + (y * g.inW + g.inX(ox, kx)) * words, words) }
                }
                clearWords(row + kx1 * words, (g.kernelW - kx1) * words)
            }
        }
        gemm(cols, weights, rowWords)
    }
    if plan.hasPadding {
        let (pixelStride, channelStride) = channelMajor ? (1, P) : (N, 1)
        plan.tapPopcounts.withUnsafeBufferPointer { tapPop in
            for p in pixels where plan.masks[p] != plan.fullMask {
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

/// Word copies and clears short enough (a few words per tap row) that a library call would cost
/// more than the copy.
@inline(__always)
func copyWords(_ dst: UnsafeMutablePointer<UInt64>, _ src: UnsafePointer<UInt64>, _ n: Int) {
    var i = 0
    while i < n { dst[i] = src[i]; i += 1 }
}

@inline(__always)
func clearWords(_ dst: UnsafeMutablePointer<UInt64>, _ n: Int) {
    var i = 0
    while i < n { dst[i] = 0; i += 1 }
}
