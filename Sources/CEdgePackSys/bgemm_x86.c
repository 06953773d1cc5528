// See edgepack_bgemm.h. A 4×4 register tile over 128-bit chunks (byte-lane counts flushed every
// 31 chunks; four weight rows side by side for short rows), written once over generic vectors
// and compiled twice: for AVX2 and for x86-64-v2.
#include "edgepack_bgemm.h"

#if defined(__x86_64__) && defined(__clang__)
#include <string.h>

// Every 256-bit helper is inlined, so no such value crosses a call in the x86-64-v2 copy.
#pragma clang diagnostic ignored "-Wpsabi"

typedef uint8_t b16 __attribute__((vector_size(16)));
typedef uint16_t h16 __attribute__((vector_size(32)));
typedef uint64_t w4 __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

INLINE b16 load16(const uint64_t *p) { b16 v; memcpy(&v, p, sizeof v); return v; }
INLINE w4 load_w4(const uint64_t *p) { w4 v; memcpy(&v, p, sizeof v); return v; }
INLINE uint32_t byte_sum(b16 v) { return __builtin_reduce_add(__builtin_convertvector(v, h16)); }

/// Chunks of 128 bits counted in byte lanes before they could overflow (31 × 8 < 256).
enum { CHUNKS_PER_FLUSH = 31 };

INLINE void tile4x4(const uint64_t *a, const uint64_t *b, long words, int32_t *out, long ldo) {
    const uint64_t *ar[4] = {a, a + words, a + 2 * words, a + 3 * words};
    const uint64_t *br[4] = {b, b + words, b + 2 * words, b + 3 * words};
    uint32_t t[4][4] = {{0}};
    const long chunks = words >> 1;
    for (long c = 0; c < chunks;) {
        const long end = chunks < c + CHUNKS_PER_FLUSH ? chunks : c + CHUNKS_PER_FLUSH;
        b16 s[4][4] = {{{0}}};
        for (; c < end; c++) {
            b16 x[4], y[4];
            for (int r = 0; r < 4; r++) { x[r] = load16(ar[r] + 2 * c); y[r] = load16(br[r] + 2 * c); }
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++) s[r][q] += __builtin_elementwise_popcount(x[r] ^ y[q]);
        }
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++) t[r][q] += byte_sum(s[r][q]);
    }
    if (words & 1) {
        const long w = words - 1;
        const w4 y = {br[0][w], br[1][w], br[2][w], br[3][w]};
        for (int r = 0; r < 4; r++) {
            const w4 p = __builtin_elementwise_popcount(y ^ ar[r][w]);
            for (int q = 0; q < 4; q++) t[r][q] += (uint32_t)p[q];
        }
    }
    for (int r = 0; r < 4; r++)
        for (int q = 0; q < 4; q++) out[r * ldo + q] = (int32_t)t[r][q];
}

INLINE int32_t row_popcount(const uint64_t *x, const uint64_t *y, long words) {
    uint32_t total = 0;
    for (long w = 0; w < words; w++) total += (uint32_t)__builtin_popcountll(x[w] ^ y[w]);
    return (int32_t)total;
}

INLINE void bgemm_body(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc) {
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        long j = 0;
        for (; j + 4 <= n; j += 4) tile4x4(a + i * words, b + j * words, words, counts + i * ldc + j, ldc);
        for (; j < n; j++)
            for (long r = 0; r < 4; r++) counts[(i + r) * ldc + j] = row_popcount(a + (i + r) * words, b + j * words, words);
    }
    for (; i < m; i++)
        for (long j = 0; j < n; j++) counts[i * ldc + j] = row_popcount(a + i * words, b + j * words, words);
}

INLINE void small_depth_body(const uint64_t *a_t, long m, const uint64_t *b, long n, long words,
                             int32_t *counts, long i_stride, long j_stride) {
    const long padded = (m + 3) & ~3L;
    for (long j = 0; j < n; j++) {
        const uint64_t *x = b + j * words;
        int32_t *out = counts + j * j_stride;
        for (long i = 0; i < m; i += 4) {
            w4 acc = {0, 0, 0, 0};
            for (long w = 0; w < words; w++) acc += __builtin_elementwise_popcount(load_w4(a_t + w * padded + i) ^ x[w]);
            for (long k = 0; k < 4 && i + k < m; k++) out[(i + k) * i_stride] = (int32_t)acc[k];
        }
    }
}

// The CPU is asked once (a racing first call stores the same answer).
static int avx2_state;   // 0: not asked yet, 1: no AVX2, 2: AVX2

int ep_bgemm_avx2(void) {
    int s = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
    if (s == 0) {
        __builtin_cpu_init();
        s = __builtin_cpu_supports("avx2") ? 2 : 1;
        __atomic_store_n(&avx2_state, s, __ATOMIC_RELAXED);
    }
    return s == 2;
}

#define AVX2 __attribute__((target("avx2,popcnt"), noinline))
#define V2 __attribute__((target("sse4.2,popcnt"), noinline))

AVX2 static void bgemm_avx2(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc) {
    bgemm_body(a, m, b, n, words, counts, ldc);
}
V2 static void bgemm_v2(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc) {
    bgemm_body(a, m, b, n, words, counts, ldc);
}
void ep_bgemm_popcount(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc) {
    (ep_bgemm_avx2() ? bgemm_avx2 : bgemm_v2)(a, m, b, n, words, counts, ldc);
}

AVX2 static void small_depth_avx2(const uint64_t *a_t, long m, const uint64_t *b, long n, long words,
                                  int32_t *counts, long i_stride, long j_stride) {
    small_depth_body(a_t, m, b, n, words, counts, i_stride, j_stride);
}
V2 static void small_depth_v2(const uint64_t *a_t, long m, const uint64_t *b, long n, long words,
                              int32_t *counts, long i_stride, long j_stride) {
    small_depth_body(a_t, m, b, n, words, counts, i_stride, j_stride);
}
void ep_bgemm_small_depth(const uint64_t *a_t, long m, const uint64_t *b, long n, long words,
                          int32_t *counts, long i_stride, long j_stride) {
    (ep_bgemm_avx2() ? small_depth_avx2 : small_depth_v2)(a_t, m, b, n, words, counts, i_stride, j_stride);
}
#endif
