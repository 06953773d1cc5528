// Sign + bit-pack of float activations: bit set when x < threshold (sign -1), LSB first,
// 64 elements a word, pad bits 0. Two layouts: rows packed along their last axis, and planar
// NC(spatial) data packed channels-last ([N, spatial, words]) for binary convolutions.

/// Packs `rows` rows of `length` floats into `(length + 63) / 64` words each.
public func signPackRows(_ input: UnsafePointer<Float>, rows: Int, length: Int, threshold: Float,
                         _ output: UnsafeMutablePointer<UInt64>) {
    let words = (length + 63) >> 6
    for r in 0..<rows {
        let src = input + r * length
        let dst = output + r * words
        for w in 0..<words {
            let base = w << 6
            let n = min(64, length - base)
            var word: UInt64 = 0
            for i in 0..<n where src[base + i] < threshold { word |= 1 << UInt64(i) }
            dst[w] = word
        }
    }
}

/// Packs planar [batch, channels, spatial] floats to [batch, spatial, words] (channels last).
public func signPackChannelsLast(_ input: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                 threshold: Float, _ output: UnsafeMutablePointer<UInt64>) {
    let words = (channels + 63) >> 6
    output.update(repeating: 0, count: batch * spatial * words)
    for n in 0..<batch {
        for c in 0..<channels {
            let bit: UInt64 = 1 << UInt64(c & 63)
            let src = input + (n * channels + c) * spatial
            let dst = output + n * spatial * words + (c >> 6)
            for p in 0..<spatial {
                dst[p * words] |= src[p] < threshold ? bit : 0
            }
        }
    }
}
