// Binary GEMM for rows of a few words (dense tap rows of narrow convolutions), x86 only:
// x86 has no byte-wise vector popcount, so the 4×4 tile's byte lanes cost a pshufb popcount
// plus a transposing reduction per tile, which dominates when a row is 2–5 words. Here four
// weight rows' word w sit side by side (rows transposed at plan time), one activation word is
// broadcast against them and popcounted in 64-bit lanes (vpshufb + vpsadbw), no reduction.
// NEON's cnt makes the byte-lane tile the cheaper form on aarch64, which keeps it.

#if arch(x86_64)
import CEdgePackSys

/// Rows of at most this many words take bgemmSmallDepth.
let smallDepthWords = 8

/// `rows` [count, words] as [words, count rounded up to 4], zero-filled past `count`.
func transposedInFours(_ rows: [UInt64], count: Int, words: Int) -> [UInt64] {
    let padded = (count + 3) & ~3
    var t = [UInt64](repeating: 0, count: words * padded)
    for r in 0..<count { for w in 0..<words { t[w * padded + r] = rows[r * words + w] } }
    return t
}

/// counts[i, j] = popcount(a[i, :] xor b[j, :]) for i < m, j < n, written at
/// counts[i * iStride + j * jStride]; `aT`: transposedInFours(a), `b`: [n, words].
func bgemmSmallDepth(_ aT: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                     _ counts: UnsafeMutablePointer<Int32>, iStride: Int, jStride: Int) {
    // In C, which uses AVX2 where the CPU has it (Sources/CEdgePackSys/bgemm_x86.c).
    ep_bgemm_small_depth(aT, m, b, n, words, counts, iStride, jStride)
}
#endif
