/// Log-softmax over the middle axis of [outer, axis, inner]: x - max - log(sum(exp(x - max))),
/// with EPMath so both builds round identically (BiPointNet's head).
public func logSoftmax(_ x: UnsafePointer<Float>, outer: Int, axis: Int, inner: Int, _ y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
        for i in 0..<inner {
            var m = -Float.infinity
            for a in 0..<axis { m = max(m, x[(o * axis + a) * inner + i]) }
            var s: Float = 0
            for a in 0..<axis { s += EPMath.exp(x[(o * axis + a) * inner + i] - m) }
            let shift = m + EPMath.log(s)
            for a in 0..<axis { y[(o * axis + a) * inner + i] = x[(o * axis + a) * inner + i] - shift }
        }
    }
}
