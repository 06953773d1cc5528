// Binary GEMM core: counts[m, n] = popcount(A[m, :] xor B[n, :]) over `words` 64-bit words.
// With bit 1 = -1, the ±1 dot product is K - 2 * count (applied by the output transform).
// Register-tiled 2×4: each loaded word is reused across the tile; LLVM turns the inner loop
// into NEON eor + cnt + widening accumulate on aarch64 and vector popcount code on x86.

@inline(__always)
func popcountXor(_ a: UInt64, _ b: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (a ^ b).nonzeroBitCount) }

/// `a`: [m, words] rows, `b`: [n, words] rows, `counts`: [m, n] row-major.
public func bgemmPopcount(_ a: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                          _ counts: UnsafeMutablePointer<Int32>) {
    var i = 0
    while i + 2 <= m {
        let a0 = a + i * words, a1 = a0 + words
        var j = 0
        while j + 4 <= n {
            let b0 = b + j * words, b1 = b0 + words, b2 = b1 + words, b3 = b2 + words
            var c00: UInt32 = 0, c01: UInt32 = 0, c02: UInt32 = 0, c03: UInt32 = 0
            var c10: UInt32 = 0, c11: UInt32 = 0, c12: UInt32 = 0, c13: UInt32 = 0
            for w in 0..<words {
                let x0 = a0[w], x1 = a1[w]
                let y0 = b0[w], y1 = b1[w], y2 = b2[w], y3 = b3[w]
                c00 &+= popcountXor(x0, y0); c01 &+= popcountXor(x0, y1)
                c02 &+= popcountXor(x0, y2); c03 &+= popcountXor(x0, y3)
                c10 &+= popcountXor(x1, y0); c11 &+= popcountXor(x1, y1)
                c12 &+= popcountXor(x1, y2); c13 &+= popcountXor(x1, y3)
            }
            let r0 = counts + i * n + j, r1 = r0 + n
            r0[0] = Int32(c00); r0[1] = Int32(c01); r0[2] = Int32(c02); r0[3] = Int32(c03)
            r1[0] = Int32(c10); r1[1] = Int32(c11); r1[2] = Int32(c12); r1[3] = Int32(c13)
            j += 4
        }
        while j < n {
            let bj = b + j * words
            var c0: UInt32 = 0, c1: UInt32 = 0
            for w in 0..<words { c0 &+= popcountXor(a0[w], bj[w]); c1 &+= popcountXor(a1[w], bj[w]) }
            counts[i * n + j] = Int32(c0); counts[(i + 1) * n + j] = Int32(c1)
            j += 1
        }
        i += 2
    }
    if i < m {
        let ai = a + i * words
        for j in 0..<n {
            let bj = b + j * words
            var c: UInt32 = 0
            for w in 0..<words { c &+= popcountXor(ai[w], bj[w]) }
            counts[i * n + j] = Int32(c)
        }
    }
}
