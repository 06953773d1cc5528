// See edgepack_bgemm.h: the binary GEMM's aarch64 form, in C for NEON intrinsics that Swift's
// SIMD types cannot name. Per 128-bit chunk and product: eor, cnt (byte popcounts) and uadalp,
// which adds byte pairs into 16-bit lanes, so counts never need widening inside a block and the
// accumulators start from the first chunk's uaddlp instead of being zeroed. Rows are loaded two
// chunks at a time (one ld1 for two registers).
#include "edgepack_bgemm.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#if !defined(__clang__)
// For the intrinsic tiles (one row; the four-row tile is assembly), GCC's first scheduling pass
// hoists a step's xors ahead of their counts and adds copies: 0.044 instead of 0.038
// instructions per binary MAC at 1×4096×4096 without this.
#pragma GCC optimize("no-schedule-insns")
#endif

#define INLINE static inline __attribute__((always_inline))

/// Chunks per block of 16-bit counting: a lane gains at most 16 per chunk and the reduction adds
/// four lanes plus the odd word's 64 before widening, so 4 · 16 · 1022 + 64 < 65536.
enum { BLOCK_CHUNKS = 1022 };

INLINE uint8x16_t xcnt(uint8x16_t x, uint8x16_t y) { return vcntq_u8(veorq_u8(x, y)); }

/// Reduces a row's four accumulators to [s0 s0 s1 s1 s2 s2 s3 s3] (two 16-bit partial sums each).
INLINE uint16x8_t row_pairs(uint16x8_t s0, uint16x8_t s1, uint16x8_t s2, uint16x8_t s3) {
    return vpaddq_u16(vpaddq_u16(s0, s1), vpaddq_u16(s2, s3));
}

/// The odd last word of rows x against y01 = (b0, b1) and y23 = (b2, b3), laid out as row_pairs.
INLINE uint16x8_t odd_word_pairs(uint64_t x, uint64x2_t y01, uint64x2_t y23) {
    const uint64x2_t xx = vdupq_n_u64(x);
    const uint16x8_t c01 = vpaddlq_u8(xcnt(vreinterpretq_u8_u64(xx), vreinterpretq_u8_u64(y01)));
    const uint16x8_t c23 = vpaddlq_u8(xcnt(vreinterpretq_u8_u64(xx), vreinterpretq_u8_u64(y23)));
    return vpaddq_u16(c01, c23);
}

INLINE uint8x16_t ld(const uint64_t *p) { return vreinterpretq_u8_u64(vld1q_u64(p)); }

/// One chunk (init: the accumulators start from it) of R rows against 4.
INLINE void step1(const int R, const int init, const uint64_t *const ar[4], const uint64_t *const br[4], long w,
                  uint16x8_t s[4][4]) {
    uint8x16_t y[4];
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) y[q] = ld(br[q] + w);
#pragma GCC unroll 4
    for (int r = 0; r < R; r++) {
        const uint8x16_t x = ld(ar[r] + w);
#pragma GCC unroll 4
        for (int q = 0; q < 4; q++) s[r][q] = init ? vpaddlq_u8(xcnt(x, y[q])) : vpadalq_u8(s[r][q], xcnt(x, y[q]));
    }
}

/// The 4×4 tile's chunk loop in assembly: GCC's register allocation of the intrinsic form adds
/// copies and address arithmetic around the sixteen products (62 instead of 53 instructions a
/// chunk). v16–v31 hold s[r][q] = v(16 + 4r + q); each step loads two chunks of a row with one
/// post-indexed ld1. n >= 1 chunks; p[r] as row_pairs.
#define EP_PROD(op, acc, x, y, t) \
    "eor " t ".16b, " x ".16b, " y ".16b\n\tcnt " t ".16b, " t ".16b\n\t" op " " acc ".8h, " t ".16b\n\t"
#define EP_ROW1(op, a, r0, r1, r2, r3) \
    "ldr q8, [%[" a "]], #16\n\t" EP_PROD(op, r0, "v8", "v0", "v10") EP_PROD(op, r1, "v8", "v1", "v11") \
    EP_PROD(op, r2, "v8", "v2", "v10") EP_PROD(op, r3, "v8", "v3", "v11")
#define EP_STEP1(op) \
    "ldr q0, [%[b0]], #16\n\tldr q1, [%[b1]], #16\n\tldr q2, [%[b2]], #16\n\tldr q3, [%[b3]], #16\n\t" \
    EP_ROW1(op, "a0", "v16", "v17", "v18", "v19") EP_ROW1(op, "a1", "v20", "v21", "v22", "v23") \
    EP_ROW1(op, "a2", "v24", "v25", "v26", "v27") EP_ROW1(op, "a3", "v28", "v29", "v30", "v31")
#define EP_ROW2(op, a, r0, r1, r2, r3) \
    "ld1 {v8.16b, v9.16b}, [%[" a "]], #32\n\t" \
    EP_PROD(op, r0, "v8", "v0", "v10") EP_PROD("uadalp", r0, "v9", "v1", "v11") \
    EP_PROD(op, r1, "v8", "v2", "v10") EP_PROD("uadalp", r1, "v9", "v3", "v11") \
    EP_PROD(op, r2, "v8", "v4", "v10") EP_PROD("uadalp", r2, "v9", "v5", "v11") \
    EP_PROD(op, r3, "v8", "v6", "v10") EP_PROD("uadalp", r3, "v9", "v7", "v11")
#define EP_STEP2(op) \
    "ld1 {v0.16b, v1.16b}, [%[b0]], #32\n\tld1 {v2.16b, v3.16b}, [%[b1]], #32\n\t" \
    "ld1 {v4.16b, v5.16b}, [%[b2]], #32\n\tld1 {v6.16b, v7.16b}, [%[b3]], #32\n\t" \
    EP_ROW2(op, "a0", "v16", "v17", "v18", "v19") EP_ROW2(op, "a1", "v20", "v21", "v22", "v23") \
    EP_ROW2(op, "a2", "v24", "v25", "v26", "v27") EP_ROW2(op, "a3", "v28", "v29", "v30", "v31")
#define EP_PAIRS(out, s0, s1, s2, s3) \
    "addp v0.8h, " s0 ".8h, " s1 ".8h\n\taddp v1.8h, " s2 ".8h, " s3 ".8h\n\taddp %[" out "].8h, v0.8h, v1.8h\n\t"

static inline __attribute__((always_inline))
void block4x4_asm(const uint64_t *const ar[4], const uint64_t *const br[4], long c, long n, uint16x8_t p[4]) {
    const uint64_t *a0 = ar[0] + 2 * c, *a1 = ar[1] + 2 * c, *a2 = ar[2] + 2 * c, *a3 = ar[3] + 2 * c;
    const uint64_t *b0 = br[0] + 2 * c, *b1 = br[1] + 2 * c, *b2 = br[2] + 2 * c, *b3 = br[3] + 2 * c;
    uint16x8_t p0, p1, p2, p3;
    __asm__ volatile(
        "tbz %[n], #0, 1f\n\t"
        EP_STEP1("uaddlp")
        "subs %[n], %[n], #1\n\t"
        "b.eq 3f\n\t"
        "b 2f\n"
        "1:\n\t"
        EP_STEP2("uaddlp")
        "subs %[n], %[n], #2\n\t"
        "b.eq 3f\n"
        "2:\n\t"
        EP_STEP2("uadalp")
        "subs %[n], %[n], #2\n\t"
        "b.ne 2b\n"
        "3:\n\t"
        EP_PAIRS("p0", "v16", "v17", "v18", "v19") EP_PAIRS("p1", "v20", "v21", "v22", "v23")
        EP_PAIRS("p2", "v24", "v25", "v26", "v27") EP_PAIRS("p3", "v28", "v29", "v30", "v31")
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
          [b0] "+r"(b0), [b1] "+r"(b1), [b2] "+r"(b2), [b3] "+r"(b3), [n] "+r"(n),
          [p0] "=w"(p0), [p1] "=w"(p1), [p2] "=w"(p2), [p3] "=w"(p3)
        :
        : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11",
          "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
          "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "cc", "memory");
    p[0] = p0; p[1] = p1; p[2] = p2; p[3] = p3;
}

/// Chunks [c, c + n) (n >= 1) of R rows against 4, reduced to row_pairs form.
INLINE void block(const int R, const uint64_t *const ar[4], const uint64_t *const br[4], long c, long n,
                  uint16x8_t p[4]) {
    if (R == 4) { block4x4_asm(ar, br, c, n, p); return; }
    uint16x8_t s[4][4];
    step1(R, 1, ar, br, 2 * c, s);
    long k = 1;
    // Two chunks per trip: half the loop's own instructions.
    for (; k + 2 <= n; k += 2) {
        step1(R, 0, ar, br, 2 * (c + k), s);
        step1(R, 0, ar, br, 2 * (c + k) + 2, s);
    }
    if (k < n) step1(R, 0, ar, br, 2 * (c + k), s);
#pragma GCC unroll 4
    for (int r = 0; r < R; r++) p[r] = row_pairs(s[r][0], s[r][1], s[r][2], s[r][3]);
}

/// R rows of a against 4 rows of b (R = 4 in the body, 1–3 at the bottom edge); b rows past the
/// matrix are given as a valid row and their counts dropped by the caller. `long_rows` (rows over
/// BLOCK_CHUNKS chunks) adds block by block; otherwise the one block widens straight into t.
INLINE void tile(const int R, const int long_rows, const uint64_t *const ar[4], const uint64_t *const br[4],
                 long words, uint32x4_t t[4]) {
    const long chunks = words >> 1;
    uint16x8_t p[4];
    long c = 0;
    if (long_rows) {
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) t[r] = vdupq_n_u32(0);
        for (; chunks - c > BLOCK_CHUNKS; c += BLOCK_CHUNKS) {
            block(R, ar, br, c, BLOCK_CHUNKS, p);
#pragma GCC unroll 4
            for (int r = 0; r < R; r++) t[r] = vpadalq_u16(t[r], p[r]);
        }
    }
    if (c < chunks) block(R, ar, br, c, chunks - c, p);
    else {
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) p[r] = vdupq_n_u16(0);
    }
    if (words & 1) {
        const long w = words - 1;
        const uint64x2_t y01 = vcombine_u64(vld1_u64(br[0] + w), vld1_u64(br[1] + w));
        const uint64x2_t y23 = vcombine_u64(vld1_u64(br[2] + w), vld1_u64(br[3] + w));
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) p[r] = vaddq_u16(p[r], odd_word_pairs(ar[r][w], y01, y23));
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++) t[r] = long_rows ? vpadalq_u16(t[r], p[r]) : vpaddlq_u16(p[r]);
}

/// `rows` (1 to R) rows of the result, every column: tiles of 4 columns, then one narrower tile.
/// Rows past `rows` repeat the last one (computed, not stored).
INLINE void row_block(const int R, const int long_rows, long rows, const uint64_t *a, const uint64_t *b, long n,
                      long words, int32_t *counts, long ldc) {
    const uint64_t *ar[4];
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++) ar[r] = a + (r < rows ? r : rows - 1) * words;
    long j = 0;
    for (; j + 4 <= n; j += 4) {
        const uint64_t *const br[4] = {b + j * words, b + (j + 1) * words, b + (j + 2) * words, b + (j + 3) * words};
        uint32x4_t t[4];
        tile(R, long_rows, ar, br, words, t);
#pragma GCC unroll 4
        for (int r = 0; r < R; r++)
            if (r < rows) vst1q_s32(counts + r * ldc + j, vreinterpretq_s32_u32(t[r]));
    }
    if (j < n) {
        const long cols = n - j;
        const uint64_t *br[4];
        for (int q = 0; q < 4; q++) br[q] = b + (j + (q < cols ? q : 0)) * words;
        uint32x4_t t[4];
        tile(R, long_rows, ar, br, words, t);
        for (int r = 0; r < R && r < rows; r++) {
            uint32_t lanes[4];
            vst1q_u32(lanes, t[r]);
            for (long q = 0; q < cols; q++) counts[r * ldc + j + q] = (int32_t)lanes[q];
        }
    }
}

// Four copies (code size counts on a Pi): four rows, two or three (the four-row tile, stored in
// part), one row (batch-1 dense), and any rows over one counting block.
__attribute__((noinline)) static void rows4(const uint64_t *a, const uint64_t *b, long n, long words,
                                            int32_t *c, long ldc) { row_block(4, 0, 4, a, b, n, words, c, ldc); }
__attribute__((noinline)) static void rows3_2(long rows, const uint64_t *a, const uint64_t *b, long n, long words,
                                              int32_t *c, long ldc) { row_block(4, 0, rows, a, b, n, words, c, ldc); }
__attribute__((noinline)) static void rows1(const uint64_t *a, const uint64_t *b, long n, long words,
                                            int32_t *c, long ldc) { row_block(1, 0, 1, a, b, n, words, c, ldc); }
__attribute__((noinline)) static void long_rows4(long rows, const uint64_t *a, const uint64_t *b, long n, long words,
                                                 int32_t *c, long ldc) { row_block(4, 1, rows, a, b, n, words, c, ldc); }

void ep_bgemm_popcount(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc) {
    if (words <= 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) counts[i * ldc + j] = 0;
        return;
    }
    const int long_rows = (words >> 1) > BLOCK_CHUNKS;
    for (long i = 0; i < m; i += 4) {
        const long rows = m - i < 4 ? m - i : 4;
        if (long_rows) long_rows4(rows, a + i * words, b, n, words, counts + i * ldc, ldc);
        else if (rows == 4) rows4(a + i * words, b, n, words, counts + i * ldc, ldc);
        else if (rows == 1) rows1(a + i * words, b, n, words, counts + i * ldc, ldc);
        else rows3_2(rows, a + i * words, b, n, words, counts + i * ldc, ldc);
    }
}
#endif
