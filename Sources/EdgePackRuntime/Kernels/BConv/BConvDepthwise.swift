// Depthwise binary convolution (groups = channels): each channel sees only its own taps, so
// instead of popcounts across a word we count per bit position: the xor words of the taps are
// added into bit-sliced counters (plane b holds bit b of every channel's count), 64 channels
// at a time. Padded taps are skipped, so they contribute 0 exactly.

/// input: [batch, inSpatial, words]; weights: [taps, words] (channels packed per tap);
/// output: [batch, channels, outSpatial].
public func bconvDepthwise(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
                           _ g: ConvGeometry, _ plan: BConvPlan, _ t: OutputTransform,
                           _ output: UnsafeMutablePointer<Float>) {
    let C = g.outChannels, P = g.outSpatial
    var planesNeeded = 1
    while (1 << planesNeeded) <= g.taps { planesNeeded += 1 }
    // At most 64 taps, so 7 bit planes: a SIMD value on the stack, no allocation per call.
    var planes = SIMD8<UInt64>()
    for n in 0..<g.batch {
        let image = input + n * g.inSpatial * words
        let out = output + n * C * P
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                let p = oy * g.outW + ox
                let validTaps = plan.masks[p].nonzeroBitCount
                for w in 0..<words {
                    planes = SIMD8<UInt64>()
                    for ky in 0..<g.kernelH {
                        let y = g.inY(oy, ky)
                        if y < 0 || y >= g.inH { continue }
                        for kx in 0..<g.kernelW {
                            let x = g.inX(ox, kx)
                            if x < 0 || x >= g.inW { continue }
                            var carry = image[(y * g.inW + x) * words + w] ^ weights[(ky * g.kernelW + kx) * words + w]
                            var b = 0
                            while carry != 0 {
                                let next = planes[b] & carry
                                planes[b] ^= carry
                                carry = next
                                b += 1
                            }
                        }
                    }
                    let channels = min(64, C - w * 64)
                    for i in 0..<channels {
                        var count = 0
                        for b in 0..<planesNeeded { count |= Int((planes[b] >> UInt64(i)) & 1) << b }
                        let c = w * 64 + i
                        out[c * P + p] = t.apply(Float(validTaps - 2 * count), channel: c)
                    }
                }
            }
        }
    }
}
