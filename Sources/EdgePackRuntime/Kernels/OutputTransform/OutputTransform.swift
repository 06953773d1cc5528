// The per-channel output transform of binary layers (LCE's "output transform", daBNN's fused
// BN): y = scale[c] * dot + bias[c], then the fused activation. Scale holds the weights' α
// with BatchNorm folded in; bias the folded BN shift. Written once for every binary kernel.

public struct OutputTransform {
    public var scale: UnsafePointer<Float>
    public var bias: UnsafePointer<Float>
    public var activation: ChannelActivation

    public init(scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, activation: ChannelActivation) {
        self.scale = scale; self.bias = bias; self.activation = activation
    }

    @inline(__always)
    public func apply(_ dot: Float, channel c: Int) -> Float {
        activation.apply(preActivation(dot, channel: c), channel: c)
    }

    /// The value the activation reads.
    @inline(__always)
    public func preActivation(_ dot: Float, channel c: Int) -> Float { scale[c] * dot + bias[c] }
}
