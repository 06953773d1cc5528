// Binary dense layers over an input holding exact zeros: the xor counts as binaryDense computes
// them, then the rows holding a zero have those products taken out (ZeroProducts.swift) and
// their length shortened. Run only when the input's zero mask holds a zero.

/// binaryDense with `zeros` ([rows, words], the input's zero mask).
public func binaryDenseZeros(_ input: UnsafePointer<UInt64>, zeros: UnsafePointer<UInt64>, rows: Int,
                             _ weights: UnsafePointer<UInt64>, outFeatures: Int, words: Int, k: Int, _ t: OutputTransform,
                             counts: UnsafeMutablePointer<Int32>, _ z: ZeroScratch, _ output: UnsafeMutablePointer<Float>) {
    bgemmPopcount(input, m: rows, weights, n: outFeatures, words: words, counts)
    denseZeroCorrection(zeros, rows: rows, weights, n: outFeatures, words: words, k: k, z, counts)
    for r in 0..<rows {
        transformRow(counts + r * outFeatures, n: outFeatures, validK: z.validK[r], t, output + r * outFeatures)
    }
}

/// binaryDensePacked with `zeros`.
public func binaryDensePackedZeros(_ input: UnsafePointer<UInt64>, zeros: UnsafePointer<UInt64>, rows: Int,
                                   _ weights: UnsafePointer<UInt64>, outFeatures: Int, words: Int, k: Int,
                                   _ signs: SignThresholds, counts: UnsafeMutablePointer<Int32>, _ z: ZeroScratch,
                                   _ output: UnsafeMutablePointer<UInt64>) {
    bgemmPopcount(input, m: rows, weights, n: outFeatures, words: words, counts)
    denseZeroCorrection(zeros, rows: rows, weights, n: outFeatures, words: words, k: k, z, counts)
    let outWords = (outFeatures + 63) >> 6
    signs.withPointers { t in
        for r in 0..<rows { packSignRow(counts + r * outFeatures, n: outFeatures, validK: z.validK[r], t, output + r * outWords) }
    }
}

/// Each row's length k - |zeros| into z.validK, and the products of the rows holding a zero
/// subtracted from counts [rows, n].
func denseZeroCorrection(_ zeros: UnsafePointer<UInt64>, rows: Int, _ weights: UnsafePointer<UInt64>, n: Int, words: Int,
                         k: Int, _ z: ZeroScratch, _ counts: UnsafeMutablePointer<Int32>) {
    var m = 0
    for r in 0..<rows {
        var zeroCount = 0
        for w in 0..<words { zeroCount += zeros[r * words + w].nonzeroBitCount }
        z.validK[r] = Int32(k - zeroCount)
        guard zeroCount > 0 else { continue }
        (z.rows + m * words).update(from: zeros + r * words, count: words)
        z.index[m] = Int32(r); z.zeroCounts[m] = Int32(zeroCount)
        m += 1
    }
    if m > 0 { subtractZeroProducts(z, m: m, weights, n: n, rowWords: words, counts, rowStride: n, channelStride: 1) }
}
