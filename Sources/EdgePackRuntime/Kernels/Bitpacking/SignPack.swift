// Sign + bit-pack of float activations: bit set when x < threshold (sign -1), LSB first,
// 64 elements a word, pad bits 0. Two layouts: rows packed along their last axis, and planar
// NC(spatial) data packed channels-last ([N, spatial, words]) for binary convolutions.
// Optionally a zero mask in the same layout: bit set where x == threshold exactly, the
// elements ONNX's Sign maps to 0 (the binary layers take them out of the dot product).

/// Packs `rows` rows of `length` floats into `(length + 63) / 64` words each.
public func signPackRows(_ input: UnsafePointer<Float>, rows: Int, length: Int, threshold: Float,
                         _ output: UnsafeMutablePointer<UInt64>, zeros: UnsafeMutablePointer<UInt64>? = nil) {
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
        if let zeros { zeroMaskRow(src, length: length, threshold: threshold, zeros + r * words) }
    }
}

/// One row's zero mask, (length + 63) / 64 words.
@inline(__always)
func zeroMaskRow(_ src: UnsafePointer<Float>, length: Int, threshold: Float, _ dst: UnsafeMutablePointer<UInt64>) {
    for w in 0..<(length + 63) >> 6 {
        let base = w << 6
        var word: UInt64 = 0
        for i in 0..<min(64, length - base) where src[base + i] == threshold { word |= 1 << UInt64(i) }
        dst[w] = word
    }
}

/// Packs planar [batch, channels, spatial] floats to [batch, spatial, words] (channels last).
/// Eight positions at a time: one vector load per channel sets that channel's bit in eight
/// words held in registers (32 channels per 32-bit lane pair), and each word is stored once.
/// The same loads also note whether any of the 64 × 8 values equals the threshold; only then
/// are that block's zero-mask words computed (a second vector pass), else stored as 0.
public func signPackChannelsLast(_ input: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                 threshold: Float, _ output: UnsafeMutablePointer<UInt64>,
                                 zeros: UnsafeMutablePointer<UInt64>? = nil) {
    let words = (channels + 63) >> 6
    let t = SIMD8<Float>(repeating: threshold)
    for n in 0..<batch {
        let plane = input + n * channels * spatial
        let dst = output + n * spatial * words
        for w in 0..<words {
            let base = w << 6
            let count = min(64, channels - base)
            var p = 0
            while p + 8 <= spatial {
                let column = plane + base * spatial + p
                var equal = SIMD8<UInt32>()
                let low = signLanes(column, spatial: spatial, from: 0, to: min(32, count), t, &equal)
                let high = signLanes(column, spatial: spatial, from: 32, to: max(32, count), t, &equal)
                for j in 0..<8 { dst[(p + j) * words + w] = UInt64(low[j]) | UInt64(high[j]) << 32 }
                if let zeros {
                    let dst = zeros + n * spatial * words + p * words + w
                    if equal == SIMD8<UInt32>() {
                        for j in 0..<8 { dst[j * words] = 0 }
                    } else {
                        let low = equalLanes(column, spatial: spatial, from: 0, to: min(32, count), t)
                        let high = equalLanes(column, spatial: spatial, from: 32, to: max(32, count), t)
                        for j in 0..<8 { dst[j * words] = UInt64(low[j]) | UInt64(high[j]) << 32 }
                    }
                }
                p += 8
            }
            for q in p..<spatial {   // the last spatial % 8 positions
                var word: UInt64 = 0
                for i in 0..<count where plane[(base + i) * spatial + q] < threshold { word |= 1 << UInt64(i) }
                dst[q * words + w] = word
                if let zeros {
                    zeros[n * spatial * words + q * words + w] = zeroWord(plane + base * spatial + q, spatial: spatial, count: count, threshold)
                }
            }
        }
    }
}

/// Bits `from..<to` (at most 32) of eight channels-last words: channel c's sign at eight
/// positions sets bit c - from. Split in two calls so the inner loop has no lane branch.
@inline(__always)
private func signLanes(_ column: UnsafePointer<Float>, spatial: Int, from: Int, to: Int,
                       _ t: SIMD8<Float>, _ equal: inout SIMD8<UInt32>) -> SIMD8<UInt32> {
    var bits = SIMD8<UInt32>()
    for i in from..<to {
        let v = UnsafeRawPointer(column + i * spatial).loadUnaligned(as: SIMD8<Float>.self)
        bits.replace(with: bits | SIMD8<UInt32>(repeating: 1 << UInt32(i - from)), where: v .< t)
        equal.replace(with: 1, where: v .== t)
    }
    return bits
}

/// signLanes' zero-mask twin: bit i - from set where channel i equals the threshold.
@inline(__always)
private func equalLanes(_ column: UnsafePointer<Float>, spatial: Int, from: Int, to: Int, _ t: SIMD8<Float>) -> SIMD8<UInt32> {
    var bits = SIMD8<UInt32>()
    for i in from..<to {
        let v = UnsafeRawPointer(column + i * spatial).loadUnaligned(as: SIMD8<Float>.self)
        bits.replace(with: bits | SIMD8<UInt32>(repeating: 1 << UInt32(i - from)), where: v .== t)
    }
    return bits
}

/// Zero-mask word of one position: bit i set where channel i's value equals the threshold.
@inline(__always)
private func zeroWord(_ first: UnsafePointer<Float>, spatial: Int, count: Int, _ threshold: Float) -> UInt64 {
    var word: UInt64 = 0
    for i in 0..<count where first[i * spatial] == threshold { word |= 1 << UInt64(i) }
    return word
}
