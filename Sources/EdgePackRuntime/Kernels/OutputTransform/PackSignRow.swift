// The bit-packed output transform: one row of xor counts (one output pixel's channels, or one
// dense row's features) to sign bits, dot = validK - 2 * count tested per channel against
// SignThresholds' interval, 64 channels a word, LSB first, pad bits 0. Eight channels per step:
// one vector range test, the set lanes summed into a byte of the word.

/// The thresholds' arrays as the kernels read them.
public struct SignThresholdPointers {
    var lo: UnsafePointer<Int32>
    var width: UnsafePointer<UInt32>
    var flip: UnsafePointer<UInt32>
}

extension SignThresholds {
    func withPointers<R>(_ body: (SignThresholdPointers) -> R) -> R {
        lo.withUnsafeBufferPointer { lo in
            width.withUnsafeBufferPointer { width in
                flip.withUnsafeBufferPointer { flip in
                    body(SignThresholdPointers(lo: lo.baseAddress!, width: width.baseAddress!, flip: flip.baseAddress!))
                }
            }
        }
    }
}

/// `out`: (n + 63) / 64 words.
@inline(__always)
public func packSignRow(_ counts: UnsafePointer<Int32>, n: Int, validK: Int32, _ t: SignThresholdPointers,
                      _ out: UnsafeMutablePointer<UInt64>) {
    let lanes = SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128)
    let k = SIMD8<Int32>(repeating: validK)
    var c = 0, w = 0
    while c < n {
        let end = min(n, c + 64)
        var word: UInt64 = 0
        var j = c
        while j + 8 <= end {
            let dot = k &- (load8(counts + j) &<< 1)
            let offset = SIMD8<UInt32>(truncatingIfNeeded: dot &- load8(t.lo + j))
            let inside = SIMD8<UInt32>().replacing(with: ~0, where: offset .<= load8(t.width + j))
            let byte = ((inside ^ load8(t.flip + j)) & lanes).wrappedSum()
            word |= UInt64(byte) << UInt64(j - c)
            j += 8
        }
        while j < end {
            if SignThresholds.isSet(validK &- (counts[j] &<< 1), t.lo[j], t.width[j], t.flip[j]) { word |= 1 << UInt64(j - c) }
            j += 1
        }
        out[w] = word
        w += 1
        c = end
    }
}

@inline(__always)
func load8<T: SIMDScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self) }
