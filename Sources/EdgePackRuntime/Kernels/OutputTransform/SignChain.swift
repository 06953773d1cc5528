// What an unfused model computes after a binary layer's dot product when only a sign reads the
// result: the output transform (with its activation), optionally a per-channel affine (the
// ChannelAffine of a folded BatchNorm), then SignPack's comparison. The float-reference mode
// runs this chain as written; the binary kernels run its SignThresholds.

public struct SignChain {
    public var transform: OutputTransform
    /// The affine after the activation: both or neither.
    public var postScale: UnsafePointer<Float>?
    public var postBias: UnsafePointer<Float>?
    public var threshold: Float

    public init(_ transform: OutputTransform, postScale: UnsafePointer<Float>?, postBias: UnsafePointer<Float>?,
                threshold: Float) {
        self.transform = transform; self.postScale = postScale; self.postBias = postBias; self.threshold = threshold
    }

    /// The float value the sign reads, rounded step by step as the unfused operators store it.
    @inline(__always)
    public func value(_ dot: Float, channel c: Int) -> Float {
        let y = transform.apply(dot, channel: c)
        guard let postScale, let postBias else { return y }
        return y * postScale[c] + postBias[c]
    }

    /// The sign bit (set: -1), as SignPack sets it.
    @inline(__always)
    public func isNegative(_ dot: Float, channel c: Int) -> Bool { value(dot, channel: c) < threshold }

    /// Whether some channel's value is exactly the threshold at some dot product in
    /// -maxDot...maxDot: ONNX's Sign gives 0 there, which one bit cannot hold, so the converter
    /// keeps such a layer unfused (its SignPack then writes a zero mask).
    public func reachesThreshold(channels: Int, maxDot: Int) -> Bool {
        for c in 0..<channels {
            var d = -maxDot
            while d <= maxDot {
                if value(Float(d), channel: c) == threshold { return true }
                d += 1
            }
        }
        return false
    }
}

/// A SignChain as integer comparisons per channel: bit set exactly when
/// (lo[c] <= dot <= lo[c] + width[c]) != (flip[c] != 0), the range test done as one unsigned
/// compare. One interval (or its complement) covers every chain the converter folds: monotone
/// ones (a prefix or suffix of the dot products) and a PReLU with a negative slope, whose V
/// shape makes the sign an interval. It equals the chain bit for bit at every dot product the
/// layer can produce (-maxDot...maxDot): found from the chain's monotone pieces where they are
/// certain (SignChain.changesByPieces), else by evaluating the chain at every one of them.
public struct SignThresholds {
    public var lo: [Int32]
    public var width: [UInt32]
    /// 0, or all ones to invert the range test.
    public var flip: [UInt32]

    /// Throws the first channel whose sign is not one interval or its complement. `exhaustive`
    /// evaluates every dot product of every channel (the reference the tests hold the search to).
    public init(_ chain: SignChain, channels: Int, maxDot: Int, exhaustive: Bool = false) throws(NotAThreshold) {
        lo = [Int32](repeating: Int32(-maxDot), count: channels)
        width = [UInt32](repeating: UInt32(2 * maxDot), count: channels)
        flip = [UInt32](repeating: 0, count: channels)
        for c in 0..<channels {
            let first = chain.isNegative(Float(-maxDot), channel: c)
            let changes = !exhaustive && chain.isPiecewiseMonotone(channel: c, maxDot: maxDot)
                ? chain.changesByPieces(channel: c, maxDot: maxDot, first: first)
                : chain.changesByScan(channel: c, maxDot: maxDot)
            if changes.count > 2 { throw NotAThreshold(channel: c) }
            // The interval the test checks: the set dot products, or (flipped) the clear ones.
            var from = -maxDot, to = maxDot
            switch changes.count {
            case 0: break
            case 1: if first { to = changes[0] - 1 } else { from = changes[0] }
            default: from = changes[0]; to = changes[1] - 1
            }
            let inverted = changes.count == 2 ? first : (changes.count == 0 && !first)
            lo[c] = Int32(from)
            width[c] = UInt32(to - from)
            flip[c] = inverted ? ~0 : 0
        }
    }

    /// Whether a channel's sign bit is set for `dot` (scalar tail of the kernels).
    @inline(__always)
    static func isSet(_ dot: Int32, _ lo: Int32, _ width: UInt32, _ flip: UInt32) -> Bool {
        ((UInt32(bitPattern: dot &- lo) <= width) ? ~0 : 0) ^ flip != 0
    }
}

public struct NotAThreshold: Error { public var channel: Int }
