/// ONNX Sign on floats: -1, 0 or +1 (NaN stays NaN). For float layers that consume signs; binary
/// layers take SignPack's bits instead.
public func sign(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { let v = x[i]; y[i] = v > 0 ? 1 : (v < 0 ? -1 : v) }
}
