// The float kernels' fused multiply-add loops (GEMM in both layouts, the depthwise convolution),
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

/// Shape of a convolution: NCHW input, weights [out_c, in_c / groups, k_h, k_w] (for the depthwise
/// convolution [out_c, 1, k_h, k_w], out_c a multiple of in_c).
typedef struct {
    long batch, in_c, in_h, in_w, out_c, out_h, out_w, k_h, k_w;
    long stride_h, stride_w, pad_top, pad_left, dil_h, dil_w;
} ep_conv_shape;

/// Depthwise convolution (bias may be null). Each output: fmaf over its taps that fall inside the
/// input, in (ky, kx) order from zero, then the bias. One call for the whole layer: the layers this
/// serves (KWS memory convs: 8 outputs a row) are too short to pay a call per tap and row.
/// `weights_finite`: no weight is inf or NaN (the caller checks the constant weights once).
void ep_depthwise_conv(const float *input, const float *weights, const float *bias,
                       const ep_conv_shape *shape, int weights_finite, float *output);

/// im2col of one image's `shape->in_c` planes (in_spatial apart) into the GEMM's panels
/// [pixel / 8][kk][pixel % 8], kk = (ci * k_h + ky) * k_w + kx, for output rows [oy0, oy1) of a
/// convolution whose output width is a multiple of 8 (rows of whole panels); taps outside the input
/// are zeros. `cols` points at the panels of output row oy0.
void ep_im2col_panel_rows(const float *image, long in_spatial, const ep_conv_shape *shape, long oy0, long oy1,
                          float *cols);

/// 1 when the loops above run on fused multiply-add instructions (always on aarch64; on x86-64
/// when the CPU has FMA3), 0 when each fmaf is the C library's.
int ep_fma_instructions(void);

#ifdef __cplusplus
}
#endif
#endif
