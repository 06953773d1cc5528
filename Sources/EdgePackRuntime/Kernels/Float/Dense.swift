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

/// Scratch bytes for dense(_:rows:_:n:k:_:_:packedX:packedW:): [packed x, packed W].
public func denseScratch(rows: Int, n: Int, k: Int) -> [Int] {
    [denseInputBytes(rows: rows, n: n, k: k), densePackedWeightCount(rows: rows, n: n, k: k) * 4]
}

/// Weights as given (not constant): packs them on this call into `packedW`, then runs.
public func dense(_ x: UnsafePointer<Float>, rows: Int, _ w: UnsafePointer<Float>, n: Int, k: Int,
                  _ bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                  packedX: UnsafeMutablePointer<Float>, packedW: UnsafeMutablePointer<Float>) {
    if densePackedWeightCount(rows: rows, n: n, k: k) > 0 {
        packDenseWeights(w, n: n, k: k, packedW)
        dense(x, rows: rows, preparedWeights: packedW, n: n, k: k, bias, y, packedX: packedX)
    } else {
        dense(x, rows: rows, preparedWeights: w, n: n, k: k, bias, y, packedX: packedX)
    }
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
