// Binary convolution over an input holding exact zeros (its SignPack's zero mask has a bit
// set): the xor counts as bconv2d computes them, then each output pixel whose window sees a
// zero has those taps' products taken out (ZeroProducts.swift), and its dot length shortened,
// as padding already is. Run only when the mask holds a zero, so inputs without any keep
// bconv2d's speed.

/// Whether any of `count` words has a bit set.
@inline(__always)
public func anyBitSet(_ words: UnsafePointer<UInt64>, count: Int) -> Bool {
    var seen: UInt64 = 0
    for i in 0..<count { seen |= words[i] }
    return seen != 0
}

/// bconv2d with `zeros` ([batch, inSpatial, words], the input's zero mask).
public func bconv2dZeros(_ input: UnsafePointer<UInt64>, zeros: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>,
                         words: Int, _ g: ConvGeometry, _ plan: BConvPlan, _ t: OutputTransform,
                         cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>, _ z: ZeroScratch,
                         _ output: UnsafeMutablePointer<Float>) {
    let P = g.outSpatial, N = g.outChannels, image = g.inSpatial * words
    for n in 0..<g.batch {
        bconvCounts(input + n * image, weights, words: words, g, plan, channelMajor: true,
                    pixels: 0..<P, cols: cols, counts: counts)
        bconvZeroCorrection(zeros + n * image, weights, words: words, g, plan, channelMajor: true, z, counts)
        let out = output + n * N * P
        for c in 0..<N { transformChannel(counts + c * P, validK: z.validK, count: P, t, channel: c, out + c * P) }
    }
}

/// bconv2dPacked with `zeros`.
public func bconv2dPackedZeros(_ input: UnsafePointer<UInt64>, zeros: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>,
                               words: Int, _ g: ConvGeometry, _ plan: BConvPlan, _ signs: SignThresholds,
                               cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>, _ z: ZeroScratch,
                               _ output: UnsafeMutablePointer<UInt64>) {
    let P = g.outSpatial, N = g.outChannels, outWords = (N + 63) >> 6, image = g.inSpatial * words
    signs.withPointers { t in
        for n in 0..<g.batch {
            bconvCounts(input + n * image, weights, words: words, g, plan, channelMajor: false,
                        pixels: 0..<P, cols: cols, counts: counts)
            bconvZeroCorrection(zeros + n * image, weights, words: words, g, plan, channelMajor: false, z, counts)
            let out = output + n * P * outWords
            for p in 0..<P { packSignRow(counts + p * N, n: N, validK: z.validK[p], t, out + p * outWords) }
        }
    }
}

/// One image: each pixel's zero-mask window (0 outside the input, like the bits' im2col), its
/// dot length validK - |zeros| into z.validK, and the products of the windows holding a zero
/// subtracted from counts ([outSpatial, outChannels], or [outChannels, outSpatial] when channelMajor).
func bconvZeroCorrection(_ zeroImage: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                         _ g: ConvGeometry, _ plan: BConvPlan, channelMajor: Bool, _ z: ZeroScratch,
                         _ counts: UnsafeMutablePointer<Int32>) {
    let rowWords = g.taps * words
    var m = 0
    for p in 0..<g.outSpatial {
        let oy = p / g.outW, ox = p % g.outW
        let row = z.rows + m * rowWords
        var zeroCount = 0
        for tap in 0..<g.taps {
            let y = g.inY(oy, tap / g.kernelW), x = g.inX(ox, tap % g.kernelW)
            let inside = y >= 0 && y < g.inH && x >= 0 && x < g.inW
            for w in 0..<words {
                let word = inside ? zeroImage[(y * g.inW + x) * words + w] : 0
                row[tap * words + w] = word
                zeroCount += word.nonzeroBitCount
            }
        }
        z.validK[p] = plan.validK[p] - Int32(zeroCount)
        if zeroCount > 0 { z.index[m] = Int32(p); z.zeroCounts[m] = Int32(zeroCount); m += 1 }
    }
    if m > 0 {
        subtractZeroProducts(z, m: m, weights, n: g.outChannels, rowWords: rowWords, counts,
                             rowStride: channelMajor ? 1 : g.outChannels, channelStride: channelMajor ? g.outSpatial : 1)
    }
}

/// bconvDepthwise with `zeros`: each channel's taps one by one, zeros skipped (the rare path).
public func bconvDepthwiseZeros(_ input: UnsafePointer<UInt64>, zeros: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>,
                                words: Int, _ g: ConvGeometry, _ t: OutputTransform, _ output: UnsafeMutablePointer<Float>) {
    let C = g.outChannels, P = g.outSpatial
    for n in 0..<g.batch {
        let image = input + n * g.inSpatial * words, zeroImage = zeros + n * g.inSpatial * words
        let out = output + n * C * P
        for p in 0..<P {
            let oy = p / g.outW, ox = p % g.outW
            for c in 0..<C {
                let w = c >> 6, bit = UInt64(c & 63)
                var dot = 0
                for tap in 0..<g.taps {
                    let y = g.inY(oy, tap / g.kernelW), x = g.inX(ox, tap % g.kernelW)
                    guard y >= 0 && y < g.inH && x >= 0 && x < g.inW else { continue }
                    let at = (y * g.inW + x) * words + w
                    if (zeroImage[at] >> bit) & 1 == 1 { continue }
                    dot += ((image[at] ^ weights[tap * words + w]) >> bit) & 1 == 1 ? -1 : 1
                }
                out[c * P + p] = t.apply(Float(dot), channel: c)
            }
        }
    }
}
