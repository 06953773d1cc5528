// Binary GEMM core: counts[m, n] = popcount(A[m, :] xor B[n, :]) over `words` 64-bit words.
// With bit 1 = -1, the ±1 dot product is K - 2 * count (applied by the output transform).
// Register-tiled 4×4 over 128-bit chunks: per chunk one xor, one byte-wise popcount and one
// byte-wise add per product (NEON eor + cnt + add; pshufb-based popcount on x86). Byte lanes
// hold at most 8 per chunk, so they are widened into 32-bit totals every 31 chunks.

import CEdgePackSys

@inline(__always)
func load16(_ p: UnsafePointer<UInt64>) -> SIMD16<UInt8> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
}

@inline(__always)
func popcountXor(_ a: UInt64, _ b: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (a ^ b).nonzeroBitCount) }

/// Chunks of 128 bits accumulated in byte lanes before they could overflow (31 × 8 < 256).
let chunksPerFlush = 31

/// `a`: [m, words] rows, `b`: [n, words] rows, `counts`: [m, n] row-major.
public func bgemmPopcount(_ a: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                          _ counts: UnsafeMutablePointer<Int32>) {
    bgemmPopcount(a, m: m, b, n: n, words: words, counts, ldc: n)
}

/// The same with rows of `counts` `ldc` apart (a block of columns of a wider result).
public func bgemmPopcount(_ a: UnsafePointer<UInt64>, m: Int, _ b: UnsafePointer<UInt64>, n: Int, words: Int,
                          _ counts: UnsafeMutablePointer<Int32>, ldc: Int) {
    #if arch(x86_64)
    // The same loops in C, which uses AVX2 where the CPU has it (Sources/CEdgePackSys/bgemm_x86.c).
    ep_bgemm_popcount(a, m, b, n, words, counts, ldc)
    #else
    var i = 0
    while i + 4 <= m {
        var j = 0
        while j + 4 <= n {
            bgemmTile4x4(a + i * words, b + j * words, words, counts + i * ldc + j, ldc)
            j += 4
        }
        while j < n {
            for r in 0..<4 { counts[(i + r) * ldc + j] = rowPopcount(a + (i + r) * words, b + j * words, words) }
            j += 1
        }
        i += 4
    }
    while i < m {
        for j in 0..<n { counts[i * ldc + j] = rowPopcount(a + i * words, b + j * words, words) }
        i += 1
    }
    #endif
}

/// Sums of four byte-lane accumulators, as one vector [sum(p), sum(q), sum(r), sum(s)]:
/// pairwise adds that also transpose (addp-style), instead of four separate reductions.
@inline(__always)
func transposedSums(_ p: SIMD16<UInt8>, _ q: SIMD16<UInt8>, _ r: SIMD16<UInt8>, _ s: SIMD16<UInt8>) -> SIMD4<UInt32> {
    @inline(__always) func pairs(_ v: SIMD16<UInt8>) -> SIMD8<UInt16> {
        let w = unsafeBitCast(v, to: SIMD8<UInt16>.self)
        return (w & 0x00FF) &+ (w &>> 8)
    }
    @inline(__always) func fold(_ x: SIMD8<UInt16>, _ y: SIMD8<UInt16>) -> SIMD8<UInt16> {
        let both = SIMD16<UInt16>(lowHalf: x, highHalf: y)
        return both.evenHalf &+ both.oddHalf
    }
    let pq = fold(pairs(p), pairs(q)), rs = fold(pairs(r), pairs(s))
    let all = fold(pq, rs)                     // [p p q q r r s s] partial sums
    return SIMD4<UInt32>(truncatingIfNeeded: all.evenHalf &+ all.oddHalf)
}

/// The 4×4 register tile: 4 activation rows against 4 weight rows, 16 byte-lane accumulators
/// (8 loads feed 16 xor/popcount/add triples per 128-bit chunk).
@inline(__always)
func bgemmTile4x4(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ words: Int,
                  _ out: UnsafeMutablePointer<Int32>, _ ldo: Int) {
    let a0 = a, a1 = a0 + words, a2 = a1 + words, a3 = a2 + words
    let b0 = b, b1 = b0 + words, b2 = b1 + words, b3 = b2 + words
    var t0 = SIMD4<UInt32>(), t1 = SIMD4<UInt32>(), t2 = SIMD4<UInt32>(), t3 = SIMD4<UInt32>()
    let chunks = words >> 1
    var c = 0
    while c < chunks {
        let end = min(chunks, c + chunksPerFlush)
        var s00 = SIMD16<UInt8>(), s01 = SIMD16<UInt8>(), s02 = SIMD16<UInt8>(), s03 = SIMD16<UInt8>()
        var s10 = SIMD16<UInt8>(), s11 = SIMD16<UInt8>(), s12 = SIMD16<UInt8>(), s13 = SIMD16<UInt8>()
        var s20 = SIMD16<UInt8>(), s21 = SIMD16<UInt8>(), s22 = SIMD16<UInt8>(), s23 = SIMD16<UInt8>()
        var s30 = SIMD16<UInt8>(), s31 = SIMD16<UInt8>(), s32 = SIMD16<UInt8>(), s33 = SIMD16<UInt8>()
        while c < end {
            let w = c << 1
            let x0 = load16(a0 + w), x1 = load16(a1 + w), x2 = load16(a2 + w), x3 = load16(a3 + w)
            let y0 = load16(b0 + w), y1 = load16(b1 + w), y2 = load16(b2 + w), y3 = load16(b3 + w)
            s00 &+= (x0 ^ y0).nonzeroBitCount; s01 &+= (x0 ^ y1).nonzeroBitCount
            s02 &+= (x0 ^ y2).nonzeroBitCount; s03 &+= (x0 ^ y3).nonzeroBitCount
            s10 &+= (x1 ^ y0).nonzeroBitCount; s11 &+= (x1 ^ y1).nonzeroBitCount
            s12 &+= (x1 ^ y2).nonzeroBitCount; s13 &+= (x1 ^ y3).nonzeroBitCount
            s20 &+= (x2 ^ y0).nonzeroBitCount; s21 &+= (x2 ^ y1).nonzeroBitCount
            s22 &+= (x2 ^ y2).nonzeroBitCount; s23 &+= (x2 ^ y3).nonzeroBitCount
            s30 &+= (x3 ^ y0).nonzeroBitCount; s31 &+= (x3 ^ y1).nonzeroBitCount
            s32 &+= (x3 ^ y2).nonzeroBitCount; s33 &+= (x3 ^ y3).nonzeroBitCount
            c += 1
        }
        t0 &+= transposedSums(s00, s01, s02, s03)
        t1 &+= transposedSums(s10, s11, s12, s13)
        t2 &+= transposedSums(s20, s21, s22, s23)
        t3 &+= transposedSums(s30, s31, s32, s33)
    }
    if words & 1 == 1 {
        let w = words - 1
        let y = SIMD4<UInt64>(b0[w], b1[w], b2[w], b3[w])
        t0 &+= SIMD4<UInt32>(truncatingIfNeeded: (SIMD4(repeating: a0[w]) ^ y).nonzeroBitCount)
        t1 &+= SIMD4<UInt32>(truncatingIfNeeded: (SIMD4(repeating: a1[w]) ^ y).nonzeroBitCount)
        t2 &+= SIMD4<UInt32>(truncatingIfNeeded: (SIMD4(repeating: a2[w]) ^ y).nonzeroBitCount)
        t3 &+= SIMD4<UInt32>(truncatingIfNeeded: (SIMD4(repeating: a3[w]) ^ y).nonzeroBitCount)
    }
    store4(out, t0); store4(out + ldo, t1); store4(out + 2 * ldo, t2); store4(out + 3 * ldo, t3)
}

@inline(__always)
func store4(_ p: UnsafeMutablePointer<Int32>, _ v: SIMD4<UInt32>) {
    UnsafeMutableRawPointer(p).storeBytes(of: SIMD4<Int32>(truncatingIfNeeded: v), as: SIMD4<Int32>.self)
}

/// popcount(x xor y) over one pair of rows (tile edges).
@inline(__always)
func rowPopcount(_ x: UnsafePointer<UInt64>, _ y: UnsafePointer<UInt64>, _ words: Int) -> Int32 {
    var total: UInt32 = 0
    for w in 0..<words { total &+= popcountXor(x[w], y[w]) }
    return Int32(total)
}
