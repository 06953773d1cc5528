/// Max over the middle axis of [outer, axis, inner], plus a constant offset (BiPointNet's
/// pooling over points: max + an offset that depends on the point count). NaN propagates (the
/// last NaN met), and of equal ±0 the first met wins; a contiguous axis (inner 1) is scanned
/// eight lanes at a time, which gives those same bits whenever the maximum is a nonzero number
/// (a unique bit pattern, whatever the order), and falls back to the ordered scan otherwise.
public func reduceMax(_ x: UnsafePointer<Float>, outer: Int, axis: Int, inner: Int, offset: Float,
                      _ y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
        if inner == 1, let m = laneMax(x + o * axis, count: axis) {
            y[o] = m + offset
            continue
        }
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

/// The maximum of a contiguous run when it is a nonzero number; nil when a NaN or a zero
/// maximum makes the order matter.
@inline(__always)
private func laneMax(_ x: UnsafePointer<Float>, count: Int) -> Float? {
    var best = SIMD8<Float>(repeating: -.infinity)
    var nan = SIMDMask<SIMD8<Int32>>()
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        best.replace(with: v, where: v .> best)
        nan .|= v .!= v
        i += 8
    }
    if any(nan) { return nil }
    var m = best.max()
    while i < count {
        let v = x[i]
        if v != v { return nil }
        if v > m { m = v }
        i += 1
    }
    return m == 0 ? nil : m
}
