/// y = max(x, 0).
public func relu(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { y[i] = x[i] < 0 ? 0 : x[i] }
}
