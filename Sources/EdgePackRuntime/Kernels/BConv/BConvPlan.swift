// What a binary convolution derives once, at plan time, from its geometry and packed weights,
// so that zero padding stays exact: the source graph computes sign(0) = 0 at padded taps, so
// they must contribute 0, while a packed bit can only say ±1. Padded taps are gathered as 0 bits
// (+1), which adds popcount(w_tap) to the xor count; the plan records, per output pixel, which
// taps are inside the input, and per (channel, tap) that popcount, to subtract it again.

public struct BConvPlan {
    /// Valid-tap bitmask per output pixel (bit t set: tap t reads inside the input).
    public var masks: [UInt64]
    /// popcount of each weight tap's words, [outChannels * taps].
    public var tapPopcounts: [Int32]
    public var fullMask: UInt64
    /// Whether any output pixel has a tap outside the input.
    public var hasPadding: Bool
    /// Input features inside the input at each output pixel: the dot product's length there.
    public var validK: [Int32]
    /// Weights as dense tap rows (BConvDenseTaps) when that saves words, else empty.
    public var denseWeights: [UInt64] = []
    #if arch(x86_64)
    /// denseWeights transposed for bgemmSmallDepth when its rows are that short, else empty.
    var denseWeightsT: [UInt64] = []
    #endif

    /// `weights`: [outChannels, taps, words] packed rows (groups == 1), or nil for depthwise.
    public init(_ g: ConvGeometry, weights: UnsafePointer<UInt64>?, words: Int) {
        let taps = g.taps
        fullMask = taps == 64 ? ~0 : (UInt64(1) << UInt64(taps)) - 1
        masks = [UInt64](repeating: 0, count: g.outSpatial)
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                var m: UInt64 = 0
                for ky in 0..<g.kernelH {
                    let y = g.inY(oy, ky)
                    if y < 0 || y >= g.inH { continue }
                    for kx in 0..<g.kernelW {
                        let x = g.inX(ox, kx)
                        if x >= 0 && x < g.inW { m |= 1 << UInt64(ky * g.kernelW + kx) }
                    }
                }
                masks[oy * g.outW + ox] = m
            }
        }
        tapPopcounts = []
        let full = fullMask
        hasPadding = masks.contains { $0 != full }
        validK = masks.map { Int32($0.nonzeroBitCount * g.inChannels) }
        if let weights {
            // Bits beyond inChannels are never read (dense rows mask them), so they are not counted.
            let lastBits = g.inChannels - (words - 1) * 64
            let lastMask = lastBits == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(lastBits)) - 1
            tapPopcounts = [Int32](repeating: 0, count: g.outChannels * taps)
            for oc in 0..<g.outChannels {
                for t in 0..<taps {
                    var c = 0
                    let row = weights + (oc * taps + t) * words
                    for w in 0..<words { c += (w == words - 1 ? row[w] & lastMask : row[w]).nonzeroBitCount }
                    tapPopcounts[oc * taps + t] = Int32(c)
                }
            }
            if usesDenseTaps(g) {
                denseWeights = denseTapWeights(weights, g)
                #if arch(x86_64)
                if denseTapWords(g) <= smallDepthWords {
                    denseWeightsT = transposedInFours(denseWeights, count: g.outChannels, words: denseTapWords(g))
                }
                #endif
            }
        }
    }
}
