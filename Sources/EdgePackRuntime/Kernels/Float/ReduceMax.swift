/// Max over the middle axis of [outer, axis, inner], plus a constant offset (BiPointNet's
/// pooling over points: max + an offset that depends on the point count).
public func reduceMax(_ x: UnsafePointer<Float>, outer: Int, axis: Int, inner: Int, offset: Float,
                      _ y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
        for i in 0..<inner {
            var best = -Float.infinity
            for a in 0..<axis {
                let v = x[(o * axis + a) * inner + i]
                if v > best || v != v { best = v }
            }
            y[o * inner + i] = best + offset
        }
    }
}
