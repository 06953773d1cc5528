// The binary GEMM kernels: xor and popcount over 64-bit words. On x86-64 (bgemm_x86.c) the host
// uses AVX2 where the CPU has it without requiring it (a copy for x86-64-v2, SSE4.2 and POPCNT,
// otherwise); on aarch64 (bgemm_neon.c) NEON eor/cnt/uadalp. Integer counts: every copy gives
// the same numbers. ep_bgemm_popcount is defined on both; the rest on x86-64 only.
#ifndef EDGEPACK_BGEMM_H
#define EDGEPACK_BGEMM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// counts[i * ldc + j] = popcount(a[i, :] xor b[j, :]); a: [m, words], b: [n, words].
void ep_bgemm_popcount(const uint64_t *a, long m, const uint64_t *b, long n, long words, int32_t *counts, long ldc);

/// counts[i * i_stride + j * j_stride] = popcount(a[i, :] xor b[j, :]) for i < m, j < n, with a
/// given transposed in fours: a_t[w * ((m + 3) & ~3) + i] = a[i, w], zero past m.
void ep_bgemm_small_depth(const uint64_t *a_t, long m, const uint64_t *b, long n, long words,
                          int32_t *counts, long i_stride, long j_stride);

/// 1 when the copies above that run are the AVX2 ones.
int ep_bgemm_avx2(void);

#ifdef __cplusplus
}
#endif
#endif
