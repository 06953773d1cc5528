/// Softmax over the middle axis of [outer, axis, inner], max-subtracted for range; uses
/// EPMath.exp so both builds round identically.
public func softmax(_ x: UnsafePointer<Float>, outer: Int, axis: Int, inner: Int, _ y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
        for i in 0..<inner {
            var m = -Float.infinity
            for a in 0..<axis { m = max(m, x[(o * axis + a) * inner + i]) }
            var s: Float = 0
            for a in 0..<axis {
                let e = EPMath.exp(x[(o * axis + a) * inner + i] - m)
                y[(o * axis + a) * inner + i] = e
                s += e
            }
            for a in 0..<axis { y[(o * axis + a) * inner + i] /= s }
        }
    }
}
