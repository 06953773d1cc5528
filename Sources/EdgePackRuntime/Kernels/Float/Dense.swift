// Fully connected layer y[rows, n] = x[rows, k] · W[n, k]ᵀ + bias: the packed outer-product
// kernel when both rows and outputs fill a panel, the dot-form kernel otherwise (batch-1
// inference is a matrix-vector product, where packing would only add work).

/// Scratch bytes for `dense`: [packed x, packed W].
public func denseScratch(rows: Int, n: Int, k: Int) -> [Int] {
    usesPackedGemm(m: rows, n: n) ? [packedPanelSize(rows: rows, k: k) * 4, packedPanelSize(rows: n, k: k) * 4] : [0, 0]
}

public func dense(_ x: UnsafePointer<Float>, rows: Int, _ w: UnsafePointer<Float>, n: Int, k: Int,
                  _ bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                  packedX: UnsafeMutablePointer<Float>, packedW: UnsafeMutablePointer<Float>) {
    if usesPackedGemm(m: rows, n: n) {
        packPanels(x, ld: k, count: rows, k: k, packedX)
        packPanels(w, ld: k, count: n, k: k, packedW)
        gemmPacked(packedX, m: rows, packedW, n: n, k: k, y, ldc: n, bias: bias, mode: .perColumn)
    } else {
        gemmNT(x, lda: k, w, ldb: k, m: rows, n: n, k: k, y, ldc: n, bias: bias, mode: .perColumn)
    }
}
