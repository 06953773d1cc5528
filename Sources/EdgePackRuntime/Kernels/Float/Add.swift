/// Elementwise y = a + b where b is either the same size or broadcasts as b[i % bCount]
/// (a trailing-dimension broadcast, e.g. a bias over the last axis), optional ReLU.
public func add(_ a: UnsafePointer<Float>, count: Int, _ b: UnsafePointer<Float>, bCount: Int,
                relu: Bool, _ y: UnsafeMutablePointer<Float>) {
    if bCount == count {
        for i in 0..<count { let v = a[i] + b[i]; y[i] = relu && v < 0 ? 0 : v }
    } else {
        for i in 0..<count { let v = a[i] + b[i % bCount]; y[i] = relu && v < 0 ? 0 : v }
    }
}
