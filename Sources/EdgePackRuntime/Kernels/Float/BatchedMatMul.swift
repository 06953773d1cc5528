/// y[b] = a[b] (m×k) · B (k×n), B = bMatrices[b] when bPerBatch, else one shared matrix: both
/// operands are activations (e.g. PointNet's input transform), so B is transposed into scratch
/// ([n, k]) and the dot-form GEMM runs on each batch.
public func batchedMatMul(_ a: UnsafePointer<Float>, _ bMatrices: UnsafePointer<Float>, batch: Int, bPerBatch: Bool,
                          m: Int, k: Int, n: Int, transposedB: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    for bt in 0..<batch {
        if bt == 0 || bPerBatch {
            let src = bMatrices + (bPerBatch ? bt * k * n : 0)
            for r in 0..<k { for c in 0..<n { transposedB[c * k + r] = src[r * n + c] } }
        }
        gemmNT(a + bt * m * k, lda: k, transposedB, ldb: k, m: m, n: n, k: k, y + bt * m * n, ldc: n, bias: nil, mode: .none)
    }
}
