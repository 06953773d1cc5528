/// y = x * scale[c] + bias[c] over [batch, channels, spatial]: an inference BatchNorm whose
/// statistics were folded into scale and bias at conversion.
public func channelAffine(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                          scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    for n in 0..<batch {
        for c in 0..<channels {
            let s = scale[c], b = bias[c]
            let base = (n * channels + c) * spatial
            for p in 0..<spatial { y[base + p] = x[base + p] * s + b }
        }
    }
}
