// Fully connected layer y[rows, n] = x[rows, k] · W[n, k]ᵀ + bias: the packed outer-product
// kernel when both rows and outputs fill a panel, the dot-form kernel otherwise (batch-1
// inference is a matrix-vector product, where packing would only add work). In the packed
// form the weights are multiplied as panels, packed once per model (`packDenseWeights`).

/// Floats of dense's packed weights, or 0 when the dot-form kernel reads them as stored.
public func densePackedWeightCount(rows: Int, n: Int, k: Int) -> Int {
    usesPackedGemm(m: rows, n: n) ? packedPanelSize(rows: n, k: k) : 0
}

/// Packs W [n, k] into the panels dense multiplies by (only when densePackedWeightCount is not 0).
public func packDenseWeights(_ w: UnsafePointer<Float>, n: Int, k: Int, _ panels: UnsafeMutablePointer<Float>) {
    packPanels(w, ld: k, count: n, k: k, panels)
}

/// Scratch bytes for dense's packed rows of x.
public func denseInputBytes(rows: Int, n: Int, k: Int) -> Int {
    usesPackedGemm(m: rows, n: n) ? packedPanelSize(rows: rows, k: k) * 4 : 0
}

/// `preparedWeights`: the panels of packDenseWeights when densePackedWeightCount is not 0,
/// else W [n, k] as stored. packedX: denseInputBytes of scratch.
public func dense(_ x: UnsafePointer<Float>, rows: Int, preparedWeights: UnsafePointer<Float>, n: Int, k: Int,
                  _ bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, packedX: UnsafeMutablePointer<Float>) {
    if usesPackedGemm(m: rows, n: n) {
        packPanels(x, ld: k, count: rows, k: k, packedX)
        gemmPacked(packedX, m: rows, preparedWeights, n: n, k: k, y, ldc: n, bias: bias, mode: .perColumn)
    } else {
        gemmNT(x, lda: k, preparedWeights, ldb: k, m: rows, n: n, k: k, y, ldc: n, bias: bias, mode: .perColumn)
    }
}
