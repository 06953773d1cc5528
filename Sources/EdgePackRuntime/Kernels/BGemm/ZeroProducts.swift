// Exact zeros at a binary layer's input (ONNX's Sign(0) = 0 contributes nothing): SignPack packs
// them as +1 (bit 0) and marks them in a zero mask. Over a row's zero set Z the packed +1 added
// w_i for each i in Z, so the dot without them is (K - |Z|) - 2 * (count - popcount(w & z)).
// popcount(w & z) comes from the same xor GEMM: popcount(w ^ z) = |w| + |z| - 2 popcount(w & z).
// Only rows (output pixels, dense rows) that see a zero are gathered and multiplied.

/// Scratch of the zero correction for up to `rows` rows of `rowWords` words against n weight rows.
public struct ZeroScratch {
    /// [rows, rowWords]: the zero-mask rows that hold a zero, compacted.
    public var rows: UnsafeMutablePointer<UInt64>
    /// [rows, n]: popcount(z ^ w) of those rows.
    public var counts: UnsafeMutablePointer<Int32>
    /// [rows]: which row each compacted row is, and its number of zeros.
    public var index: UnsafeMutablePointer<Int32>
    public var zeroCounts: UnsafeMutablePointer<Int32>
    /// [rows]: each row's dot-product length without its zeros.
    public var validK: UnsafeMutablePointer<Int32>

    public init(rows: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>, index: UnsafeMutablePointer<Int32>,
                zeroCounts: UnsafeMutablePointer<Int32>, validK: UnsafeMutablePointer<Int32>) {
        self.rows = rows; self.counts = counts; self.index = index; self.zeroCounts = zeroCounts; self.validK = validK
    }

    /// Byte sizes of the five buffers, in the order of the fields.
    public static func bytes(rows: Int, rowWords: Int, n: Int) -> [Int] {
        [rows * rowWords * 8, rows * n * 4, rows * 4, rows * 4, rows * 4]
    }
}

/// counts[row, c] -= popcount(w_c & z_row) for the `m` compacted rows (strides: counts may be
/// [rows, n] or [n, rows]). `weights`: [n, rowWords].
func subtractZeroProducts(_ z: ZeroScratch, m: Int, _ weights: UnsafePointer<UInt64>, n: Int, rowWords: Int,
                          _ counts: UnsafeMutablePointer<Int32>, rowStride: Int, channelStride: Int) {
    bgemmPopcount(UnsafePointer(z.rows), m: m, weights, n: n, words: rowWords, z.counts)
    for c in 0..<n {
        var ones: Int32 = 0
        for w in 0..<rowWords { ones &+= Int32(weights[c * rowWords + w].nonzeroBitCount) }
        for i in 0..<m {
            let both = (ones &+ z.zeroCounts[i] &- z.counts[i * n + c]) >> 1
            counts[Int(z.index[i]) * rowStride + c * channelStride] &-= both
        }
    }
}
