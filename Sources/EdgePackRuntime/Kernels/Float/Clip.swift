/// y = min(max(x, lo), hi) (Hardtanh is Clip(-1, 1)). NaN passes through, as in ONNX.
public func clip(_ x: UnsafePointer<Float>, count: Int, lo: Float, hi: Float, _ y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { let v = x[i]; y[i] = v < lo ? lo : (v > hi ? hi : v) }
}
