import EdgePackFormat

// The per-channel output transform of binary layers (LCE's "output transform", daBNN's fused
// BN): y = scale[c] * dot + bias[c], then the fused activation. Scale holds the weights' α
// with BatchNorm folded in; bias the folded BN shift. Written once for every binary kernel.

public struct OutputTransform {
    public var scale: UnsafePointer<Float>
    public var bias: UnsafePointer<Float>
    public var activation: FusedActivation
    /// PReLU slope per channel (nil unless activation is PRELU).
    public var slope: UnsafePointer<Float>?
    public var slopeCount: Int

    public init(scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, activation: FusedActivation,
                slope: UnsafePointer<Float>?, slopeCount: Int) {
        self.scale = scale; self.bias = bias; self.activation = activation; self.slope = slope; self.slopeCount = slopeCount
    }

    @inline(__always)
    public func apply(_ dot: Float, channel c: Int) -> Float {
        let y = scale[c] * dot + bias[c]
        return applyActivation(y, channel: c)
    }

    @inline(__always)
    public func applyActivation(_ y: Float, channel c: Int) -> Float {
        switch activation.kind {
        case .none: return y
        case .relu: return y < 0 ? 0 : y
        case .clip: return y < activation.clipMin ? activation.clipMin : (y > activation.clipMax ? activation.clipMax : y)
        case .prelu:
            guard let slope else { return y }
            return y < 0 ? y * slope[slopeCount == 1 ? 0 : c] : y
        }
    }
}

/// Applies an activation in place to planar [batch, channels, spatial] data.
public func applyActivationPlanar(_ data: UnsafeMutablePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                  _ t: OutputTransform) {
    if t.activation.kind == .none { return }
    for n in 0..<batch {
        for c in 0..<channels {
            let row = data + (n * channels + c) * spatial
            for p in 0..<spatial { row[p] = t.applyActivation(row[p], channel: c) }
        }
    }
}
