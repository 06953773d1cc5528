// Binary GEMM core: counts[m, n] = popcount(A[m, :] xor B[n, :]) over `words` 64-bit words.
// With bit 1 = -1, the ±1 dot product is K - 2 * count (applied by the output transform).
// The kernels are C in the shim: bgemm_neon.c on aarch64 (4×4 tile, NEON eor + cnt + uadalp, its
// chunk loop in assembly) and bgemm_x86.c on x86-64 (AVX2 or x86-64-v2); other targets take the
// plain loop below. Integer counts: every form gives the same numbers.

import CEdgePackSys

@inline(__always)
func popcountXor(_ a: UInt64, _ b: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (a ^ b).nonzeroBitCount) }

/// `a`: [m, words] rows, `b`: [n, words] rows, `counts`: [m, n] row-major.
public func bgemmPopcount(_ a: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                          _ counts: UnsafeMutablePointer<Int32>) {
    bgemmPopcount(a, m: m, b, n: n, words: words, counts, ldc: n)
}

/// The same with rows of `counts` `ldc` apart (a block of columns of a wider result).
public func bgemmPopcount(_ a: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                          _ counts: UnsafeMutablePointer<Int32>, ldc: Int) {
    #if arch(x86_64) || arch(arm64)
    ep_bgemm_popcount(a, m, b, n, words, counts, ldc)
    #else
    for i in 0..<m {
        for j in 0..<n { counts[i * ldc + j] = rowPopcount(a + i * words, b + j * words, words) }
    }
    #endif
}

/// popcount(x xor y) over one pair of rows.
@inline(__always)
func rowPopcount(_ x: UnsafePointer<UInt64>, _ y: UnsafePointer<UInt64>, _ words: Int) -> Int32 {
    var total: UInt32 = 0
    for w in 0..<words { total &+= popcountXor(x[w], y[w]) }
    return Int32(total)
}
