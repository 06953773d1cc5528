/// y = x < 0 ? slope[c] * x : x over [batch, channels, spatial]; a single slope broadcasts.
public func prelu(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                  slope: UnsafePointer<Float>, slopeCount: Int, _ y: UnsafeMutablePointer<Float>) {
    for n in 0..<batch {
        for c in 0..<channels {
            let s = slope[slopeCount == 1 ? 0 : c]
            let base = (n * channels + c) * spatial
            for p in 0..<spatial { let v = x[base + p]; y[base + p] = v < 0 ? v * s : v }
        }
    }
}
