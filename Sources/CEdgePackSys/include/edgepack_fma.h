// The float kernels' fused multiply-add loops (GEMM in both layouts, the depthwise row update),
// in C so that the x86-64 host can pick FMA instructions at run time: Swift has no per-function
// target attribute, and a CPU-wide flag would make the host program need that CPU. Every result
// is the exact sequence of fmaf roundings the kernels specify, on every path and architecture,
// so the host and the aarch64 device program produce identical bits.
#ifndef EDGEPACK_FMA_H
#define EDGEPACK_FMA_H

#ifdef __cplusplus
extern "C" {
#endif

/// What `bias` is indexed by: nothing, the output row, or the output column.
enum { EP_BIAS_NONE = 0, EP_BIAS_PER_ROW = 1, EP_BIAS_PER_COLUMN = 2 };

/// C[m, n] = sum_k A[m, k] B[n, k] (+ bias). Each element: four lanes accumulate k mod 4 from
/// zero by fmaf over the first k & ~3 terms, then ((l0 + l1) + (l2 + l3)), then fmaf over the
/// remaining terms in order, then the bias.
void ep_gemm_nt(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                float *c, long ldc, const float *bias, int bias_mode);

/// The same product with A and B packed as panels [ceil(rows / 8)][k][8] (zero-padded). Each
/// element: fmaf over k in order from zero, then the bias.
void ep_gemm_packed(const float *a_panels, long m, const float *b_panels, long n, long k,
                    float *c, long ldc, const float *bias, int bias_mode);

/// to[i] = fmaf(from[i * stride], w, to[i]) for i in [0, count).
void ep_fma_row(float *to, const float *from, long stride, float w, long count);

/// 1 when the loops above run on fused multiply-add instructions (always on aarch64; on x86-64
/// when the CPU has FMA3), 0 when each fmaf is the C library's.
int ep_fma_instructions(void);

#ifdef __cplusplus
}
#endif
#endif
