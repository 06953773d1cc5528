/// y[b] = a[b] (m×k) · B (k×n), B = bMatrices[b] when bPerBatch, else one shared matrix. The
/// dot-form GEMM reads B transposed ([n, k]): a run-time B (e.g. PointNet's input transform) is
/// transposed into scratch on each call, a constant one once per model (`transposeMatMulB`).
public func batchedMatMul(_ a: UnsafePointer<Float>, _ bMatrices: UnsafePointer<Float>, batch: Int, bPerBatch: Bool,
                          m: Int, k: Int, n: Int, transposedB: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    for bt in 0..<batch {
        if bt == 0 || bPerBatch { transposeMatMulB(bMatrices + (bPerBatch ? bt * k * n : 0), count: 1, k: k, n: n, transposedB) }
        gemmNT(a + bt * m * k, lda: k, transposedB, ldb: k, m: m, n: n, k: k, y + bt * m * n, ldc: n, bias: nil, mode: .none)
    }
}

/// `transposedB`: every matrix of B ([n, k] each) as transposeMatMulB leaves them.
public func batchedMatMul(_ a: UnsafePointer<Float>, transposedB: UnsafePointer<Float>, batch: Int, bPerBatch: Bool,
                          m: Int, k: Int, n: Int, _ y: UnsafeMutablePointer<Float>) {
    for bt in 0..<batch {
        gemmNT(a + bt * m * k, lda: k, transposedB + (bPerBatch ? bt * n * k : 0), ldb: k, m: m, n: n, k: k,
               y + bt * m * n, ldc: n, bias: nil, mode: .none)
    }
}

/// Transposes `count` matrices [k, n] into [n, k].
public func transposeMatMulB(_ src: UnsafePointer<Float>, count: Int, k: Int, n: Int, _ dst: UnsafeMutablePointer<Float>) {
    for b in 0..<count {
        let s = src + b * k * n, d = dst + b * k * n
        for r in 0..<k { for c in 0..<n { d[c * k + r] = s[r * n + c] } }
    }
}
