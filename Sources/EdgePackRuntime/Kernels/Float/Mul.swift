/// y = a * b with the same broadcasting as `add` (b's values repeat every bCount), optional ReLU.
public func mul(_ a: UnsafePointer<Float>, count: Int, _ b: UnsafePointer<Float>, bCount: Int,
                relu: Bool, _ y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { let v = a[i] * b[i % bCount]; y[i] = relu && v < 0 ? 0 : v }
}
