/// Binary fully connected layer: input [rows, words] packed, weights [outFeatures, words]
/// packed, K real input features; output [rows, outFeatures] = transform(K - 2 * count).
public func binaryDense(_ input: UnsafePointer<UInt64>, rows: Int, _ weights: UnsafePointer<UInt64>,
                        outFeatures: Int, words: Int, k: Int, _ t: OutputTransform,
                        counts: UnsafeMutablePointer<Int32>, _ output: UnsafeMutablePointer<Float>) {
    bgemmPopcount(input, m: rows, weights, n: outFeatures, words: words, counts)
    for r in 0..<rows {
        transformRow(counts + r * outFeatures, n: outFeatures, validK: Int32(k), t, output + r * outFeatures)
    }
}

/// The same layer with a bit-packed output: [rows, (outFeatures + 63) / 64] sign bits.
public func binaryDensePacked(_ input: UnsafePointer<UInt64>, rows: Int, _ weights: UnsafePointer<UInt64>,
                              outFeatures: Int, words: Int, k: Int, _ signs: SignThresholds,
                              counts: UnsafeMutablePointer<Int32>, _ output: UnsafeMutablePointer<UInt64>) {
    bgemmPopcount(input, m: rows, weights, n: outFeatures, words: words, counts)
    let outWords = (outFeatures + 63) >> 6
    signs.withPointers { t in
        for r in 0..<rows { packSignRow(counts + r * outFeatures, n: outFeatures, validK: Int32(k), t, output + r * outWords) }
    }
}
