/// Global max or average over each plane of [planes, spatial] -> [planes].
public func globalPool(_ x: UnsafePointer<Float>, planes: Int, spatial: Int, max isMax: Bool,
                       _ y: UnsafeMutablePointer<Float>) {
    for c in 0..<planes {
        let src = x + c * spatial
        if isMax {
            var best = -Float.infinity
            for i in 0..<spatial where src[i] > best || src[i] != src[i] { best = src[i] }
            y[c] = best
        } else {
            var s: Float = 0
            for i in 0..<spatial { s += src[i] }
            y[c] = s / Float(spatial)
        }
    }
}
