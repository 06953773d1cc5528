// See edgepack_fma.h. One source for every build: the loops are written once over a 4-lane
// vector type whose fused multiply-add is NEON fmla on aarch64 and, on x86-64, one of two
// copies chosen at the first call: FMA3 instructions when the CPU has them, else the C
// library's fmaf per lane (exact, slower). Nothing may be contracted beyond what is written.
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif
#include "edgepack_fma.h"

#include <math.h>
#include <string.h>

#if defined(__aarch64__)
#include <arm_neon.h>
typedef float32x4_t f4;
static inline f4 f4_load(const float *p) { return vld1q_f32(p); }
static inline void f4_store(float *p, f4 v) { vst1q_f32(p, v); }
static inline f4 f4_splat(float s) { return vdupq_n_f32(s); }
static inline f4 f4_fma(f4 acc, f4 x, f4 y) { return vfmaq_f32(acc, x, y); }
static inline float f1_fma(float x, float y, float acc) { return fmaf(x, y, acc); }
#else
typedef float f4 __attribute__((vector_size(16)));
static inline f4 f4_load(const float *p) { f4 v; memcpy(&v, p, sizeof v); return v; }
static inline void f4_store(float *p, f4 v) { memcpy(p, &v, sizeof v); }
static inline f4 f4_splat(float s) { return (f4){s, s, s, s}; }
#if defined(__clang__)
// The generic fma: FMA instructions where the function's target has them, else libm fmaf.
static inline f4 f4_fma(f4 acc, f4 x, f4 y) { return __builtin_elementwise_fma(x, y, acc); }
static inline float f1_fma(float x, float y, float acc) { return __builtin_elementwise_fma(x, y, acc); }
#else
static inline f4 f4_fma(f4 acc, f4 x, f4 y) {
    return (f4){fmaf(x[0], y[0], acc[0]), fmaf(x[1], y[1], acc[1]), fmaf(x[2], y[2], acc[2]), fmaf(x[3], y[3], acc[3])};
}
static inline float f1_fma(float x, float y, float acc) { return fmaf(x, y, acc); }
#endif
#endif

#define INLINE static inline __attribute__((always_inline))

// A row of the 8×8 packed tile: two NEON registers on aarch64; one 8-lane vector elsewhere,
// a single AVX register in the x86 FMA copy. Lanes are independent, so the width changes no bit.
#if defined(__aarch64__)
typedef struct { f4 lo, hi; } r8;
INLINE r8 r8_load(const float *p) { return (r8){f4_load(p), f4_load(p + 4)}; }
INLINE r8 r8_zero(void) { return (r8){f4_splat(0), f4_splat(0)}; }
INLINE f4 r8_lo(r8 v) { return v.lo; }
INLINE f4 r8_hi(r8 v) { return v.hi; }
// acc + b * a[lane] (a: 4 lanes), NEON fmla by element on each half.
#define R8_FMA_LANE(acc, b, a, lane) \
    ((r8){vfmaq_laneq_f32((acc).lo, (b).lo, a, lane), vfmaq_laneq_f32((acc).hi, (b).hi, a, lane)})
#else
// Every r8 helper is inlined, so no 8-lane value crosses a call in the copy without AVX.
#ifdef __clang__
#pragma clang diagnostic ignored "-Wpsabi"
#endif
typedef float r8 __attribute__((vector_size(32)));
INLINE r8 r8_load(const float *p) { r8 v; memcpy(&v, p, sizeof v); return v; }
INLINE r8 r8_zero(void) { return (r8){0, 0, 0, 0, 0, 0, 0, 0}; }
INLINE f4 r8_lo(r8 v) { return __builtin_shufflevector(v, v, 0, 1, 2, 3); }
INLINE f4 r8_hi(r8 v) { return __builtin_shufflevector(v, v, 4, 5, 6, 7); }
#if defined(__clang__)
INLINE r8 r8_fma(r8 acc, r8 x, r8 y) { return __builtin_elementwise_fma(x, y, acc); }
#else
INLINE r8 r8_fma(r8 acc, r8 x, r8 y) {
    for (int q = 0; q < 8; q++) acc[q] = fmaf(x[q], y[q], acc[q]);
    return acc;
}
#endif
INLINE r8 r8_splat(float s) { return (r8){s, s, s, s, s, s, s, s}; }
#define R8_FMA_LANE(acc, b, a, lane) r8_fma(acc, r8_splat((a)[lane]), b)
#endif

INLINE float with_bias(float s, const float *bias, int mode, long i, long j) {
    if (bias == 0) return s;
    if (mode == EP_BIAS_PER_ROW) return s + bias[i];
    if (mode == EP_BIAS_PER_COLUMN) return s + bias[j];
    return s;
}

// --- dot-product form: lanes by k mod 4, then ((l0 + l1) + (l2 + l3)), tail, bias ---

INLINE float nt_finish(f4 acc, const float *ar, const float *br, long k4, long k,
                       const float *bias, int mode, long i, long j) {
    float s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (long kk = k4; kk < k; kk++) s = f1_fma(ar[kk], br[kk], s);
    return with_bias(s, bias, mode, i, j);
}

INLINE f4 nt_dot4(const float *ar, const float *br, long k4) {
    f4 acc = f4_splat(0);
    for (long kk = 0; kk < k4; kk += 4) acc = f4_fma(acc, f4_load(ar + kk), f4_load(br + kk));
    return acc;
}

INLINE void gemm_nt_body(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                         float *c, long ldc, const float *bias, int mode) {
    const long k4 = k & ~3L;
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *a0 = a + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        long j = 0;
        for (; j + 4 <= n; j += 4) {
            const float *b0 = b + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            f4 z = f4_splat(0);
            f4 c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
            f4 c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
            for (long kk = 0; kk < k4; kk += 4) {
                f4 x0 = f4_load(a0 + kk), x1 = f4_load(a1 + kk), x2 = f4_load(a2 + kk), x3 = f4_load(a3 + kk);
                f4 y0 = f4_load(b0 + kk), y1 = f4_load(b1 + kk), y2 = f4_load(b2 + kk), y3 = f4_load(b3 + kk);
                c00 = f4_fma(c00, x0, y0); c01 = f4_fma(c01, x0, y1); c02 = f4_fma(c02, x0, y2); c03 = f4_fma(c03, x0, y3);
                c10 = f4_fma(c10, x1, y0); c11 = f4_fma(c11, x1, y1); c12 = f4_fma(c12, x1, y2); c13 = f4_fma(c13, x1, y3);
                c20 = f4_fma(c20, x2, y0); c21 = f4_fma(c21, x2, y1); c22 = f4_fma(c22, x2, y2); c23 = f4_fma(c23, x2, y3);
                c30 = f4_fma(c30, x3, y0); c31 = f4_fma(c31, x3, y1); c32 = f4_fma(c32, x3, y2); c33 = f4_fma(c33, x3, y3);
            }
            float *r0 = c + i * ldc + j, *r1 = r0 + ldc, *r2 = r1 + ldc, *r3 = r2 + ldc;
            r0[0] = nt_finish(c00, a0, b0, k4, k, bias, mode, i, j);
            r0[1] = nt_finish(c01, a0, b1, k4, k, bias, mode, i, j + 1);
            r0[2] = nt_finish(c02, a0, b2, k4, k, bias, mode, i, j + 2);
            r0[3] = nt_finish(c03, a0, b3, k4, k, bias, mode, i, j + 3);
            r1[0] = nt_finish(c10, a1, b0, k4, k, bias, mode, i + 1, j);
            r1[1] = nt_finish(c11, a1, b1, k4, k, bias, mode, i + 1, j + 1);
            r1[2] = nt_finish(c12, a1, b2, k4, k, bias, mode, i + 1, j + 2);
            r1[3] = nt_finish(c13, a1, b3, k4, k, bias, mode, i + 1, j + 3);
            r2[0] = nt_finish(c20, a2, b0, k4, k, bias, mode, i + 2, j);
            r2[1] = nt_finish(c21, a2, b1, k4, k, bias, mode, i + 2, j + 1);
            r2[2] = nt_finish(c22, a2, b2, k4, k, bias, mode, i + 2, j + 2);
            r2[3] = nt_finish(c23, a2, b3, k4, k, bias, mode, i + 2, j + 3);
            r3[0] = nt_finish(c30, a3, b0, k4, k, bias, mode, i + 3, j);
            r3[1] = nt_finish(c31, a3, b1, k4, k, bias, mode, i + 3, j + 1);
            r3[2] = nt_finish(c32, a3, b2, k4, k, bias, mode, i + 3, j + 2);
            r3[3] = nt_finish(c33, a3, b3, k4, k, bias, mode, i + 3, j + 3);
        }
        for (; j < n; j++) {
            const float *bj = b + j * ldb;
            for (long r = 0; r < 4; r++) {
                const float *ar = a + (i + r) * lda;
                c[(i + r) * ldc + j] = nt_finish(nt_dot4(ar, bj, k4), ar, bj, k4, k, bias, mode, i + r, j);
            }
        }
    }
    for (; i < m; i++) {
        const float *ar = a + i * lda;
        for (long j = 0; j < n; j++) {
            const float *bj = b + j * ldb;
            c[i * ldc + j] = nt_finish(nt_dot4(ar, bj, k4), ar, bj, k4, k, bias, mode, i, j);
        }
    }
}

// --- packed panels: an 8×8 tile, fmaf over k in order from zero, then the bias ---

enum { PANEL = 8 };

INLINE void tile_emit(float *c, long ldc, long i, long j, long r, long m, long n, f4 lo, f4 hi,
                      const float *bias, int mode) {
    if (i + r >= m) return;
    float *out = c + (i + r) * ldc + j;
    if (i + PANEL <= m && j + PANEL <= n) {
        if (bias != 0 && mode == EP_BIAS_PER_ROW) {
            f4 v = f4_splat(bias[i + r]);
            lo = lo + v; hi = hi + v;
        } else if (bias != 0 && mode == EP_BIAS_PER_COLUMN) {
            lo = lo + f4_load(bias + j); hi = hi + f4_load(bias + j + 4);
        }
        f4_store(out, lo); f4_store(out + 4, hi);
        return;
    }
    float v[PANEL];
    f4_store(v, lo); f4_store(v + 4, hi);
    for (long q = 0; q < PANEL && q < n - j; q++) out[q] = with_bias(v[q], bias, mode, i + r, j + q);
}

INLINE void gemm_packed_body(const float *a_panels, long m, const float *b_panels, long n, long k,
                             float *c, long ldc, const float *bias, int mode) {
    for (long i = 0; i < m; i += PANEL) {
        const float *ap = a_panels + (i / PANEL) * k * PANEL;
        for (long j = 0; j < n; j += PANEL) {
            const float *a = ap, *b = b_panels + (j / PANEL) * k * PANEL;
            r8 c0 = r8_zero(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (long kk = 0; kk < k; kk++, a += PANEL, b += PANEL) {
                f4 a0 = f4_load(a), a1 = f4_load(a + 4);
                r8 bk = r8_load(b);
                c0 = R8_FMA_LANE(c0, bk, a0, 0); c1 = R8_FMA_LANE(c1, bk, a0, 1);
                c2 = R8_FMA_LANE(c2, bk, a0, 2); c3 = R8_FMA_LANE(c3, bk, a0, 3);
                c4 = R8_FMA_LANE(c4, bk, a1, 0); c5 = R8_FMA_LANE(c5, bk, a1, 1);
                c6 = R8_FMA_LANE(c6, bk, a1, 2); c7 = R8_FMA_LANE(c7, bk, a1, 3);
            }
            tile_emit(c, ldc, i, j, 0, m, n, r8_lo(c0), r8_hi(c0), bias, mode);
            tile_emit(c, ldc, i, j, 1, m, n, r8_lo(c1), r8_hi(c1), bias, mode);
            tile_emit(c, ldc, i, j, 2, m, n, r8_lo(c2), r8_hi(c2), bias, mode);
            tile_emit(c, ldc, i, j, 3, m, n, r8_lo(c3), r8_hi(c3), bias, mode);
            tile_emit(c, ldc, i, j, 4, m, n, r8_lo(c4), r8_hi(c4), bias, mode);
            tile_emit(c, ldc, i, j, 5, m, n, r8_lo(c5), r8_hi(c5), bias, mode);
            tile_emit(c, ldc, i, j, 6, m, n, r8_lo(c6), r8_hi(c6), bias, mode);
            tile_emit(c, ldc, i, j, 7, m, n, r8_lo(c7), r8_hi(c7), bias, mode);
        }
    }
}

// --- depthwise convolution: each tap over the output columns whose input is in the image ---

INLINE void fma_row_body(float *to, const float *from, long stride, float w, long count) {
    long i = 0;
    if (stride == 1) {
        f4 wv = f4_splat(w);
        for (; i + 4 <= count; i += 4) f4_store(to + i, f4_fma(f4_load(to + i), f4_load(from + i), wv));
    }
    for (; i < count; i++) to[i] = f1_fma(from[i * stride], w, to[i]);
}

// Short stride-1 rows up to this long (with their padding) go through a zero-padded copy of the input row.
enum { DW_ROW_MAX = 256 };

// A short copy; the empty asm keeps GCC from turning the loop into a memcpy call (which costs more
// than the copy at these lengths).
INLINE void copy_floats(float *to, const float *from, long count) {
    long i = 0;
    for (; i + 4 <= count; i += 4) { f4_store(to + i, f4_load(from + i)); __asm__("" : "+r"(i)); }
    for (; i < count; i++) { to[i] = from[i]; __asm__("" : "+r"(i)); }
}

// One output row of at most 8 columns from the padded input rows, accumulated in two registers.
INLINE void depthwise_short_row(float *row, long out_w, const float *plane, long in_w, long in_h, long y0, long dh,
                                long k_h, long k_w, long dw, const float *w, float *padded, long j_lo, long j_hi,
                                long pad_left, const float *bias_value) {
    f4 a0 = f4_splat(0), a1 = a0;
    for (long ky = 0; ky < k_h; ky++) {
        const long y = y0 + ky * dh;
        if (y < 0 || y >= in_h) continue;
        copy_floats(padded + j_lo, plane + y * in_w + (j_lo - pad_left), j_hi - j_lo);
        for (long kx = 0; kx < k_w; kx++) {
            const f4 wv = f4_splat(w[ky * k_w + kx]);
            const float *p = padded + kx * dw;
            a0 = f4_fma(a0, f4_load(p), wv);
            a1 = f4_fma(a1, f4_load(p + 4), wv);
        }
    }
    if (bias_value != 0) {
        const f4 b = f4_splat(*bias_value);
        a0 = a0 + b; a1 = a1 + b;
    }
    if (out_w == 8) {
        f4_store(row, a0); f4_store(row + 4, a1);
        return;
    }
    float v[8];
    f4_store(v, a0); f4_store(v + 4, a1);
    for (long i = 0; i < out_w; i++) row[i] = v[i];
}

INLINE void depthwise_body(const float *input, const float *weights, const float *bias,
                           const ep_conv_shape *shape, int weights_finite, float *output) {
    // The shape in locals: stores through `output` could otherwise alias it, forcing reloads.
    const long batch = shape->batch, in_c = shape->in_c, in_h = shape->in_h, in_w = shape->in_w;
    const long out_c = shape->out_c, out_h = shape->out_h, out_w = shape->out_w;
    const long k_h = shape->k_h, k_w = shape->k_w, sh = shape->stride_h, sw = shape->stride_w;
    const long pad_top = shape->pad_top, pad_left = shape->pad_left, dh = shape->dil_h, dw = shape->dil_w;
    const long mult = out_c / in_c, in_sp = in_h * in_w, out_sp = out_h * out_w, taps = k_h * k_w;
    // Stride 1, rows of up to 8 outputs (the KWS memory convs: 8 outputs, 5 taps): each input row is
    // copied once into a zero-padded row, so every tap covers the whole output row with no bounds,
    // summed in two registers. A tap over padding adds fmaf(0, w, acc) = acc exactly (acc is never
    // -0: it starts at +0 and a zero sum rounds to +0), the same bits as skipping it, as long as w
    // is finite (0 × inf is NaN): a layer with a non-finite weight takes the bounded loop below, as
    // do longer rows (one fma_row_body per tap and row, which pays off at those lengths).
    const long row_len = out_w + (k_w - 1) * dw;
    const long j_lo = pad_left < row_len ? pad_left : row_len;
    const long j_hi = pad_left + in_w < row_len ? pad_left + in_w : row_len;
    if (sw == 1 && out_w <= 8 && row_len <= DW_ROW_MAX && weights_finite) {
        float padded[DW_ROW_MAX + 8];   // + 8: a short row's upper lanes read past row_len
        memset(padded, 0, (size_t)(row_len + 8) * sizeof(float));
        // in a loop of its own, so that its few values stay in registers from channel to channel;
        // lanes past out_w read the buffer's slack (zeroed) and are dropped
        for (long n = 0; n < batch; n++) {
            for (long oc = 0; oc < out_c; oc++) {
                const float *plane = input + (n * in_c + oc / mult) * in_sp, *w = weights + oc * taps;
                float *out = output + (n * out_c + oc) * out_sp;
                for (long oy = 0; oy < out_h; oy++)
                    depthwise_short_row(out + oy * out_w, out_w, plane, in_w, in_h, oy * sh - pad_top, dh, k_h, k_w,
                                        dw, w, padded, j_lo, j_hi, pad_left, bias != 0 ? bias + oc : 0);
            }
        }
        return;
    }
    for (long n = 0; n < batch; n++) {
        for (long oc = 0; oc < out_c; oc++) {
            const float *plane = input + (n * in_c + oc / mult) * in_sp, *w = weights + oc * taps;
            float *out = output + (n * out_c + oc) * out_sp;
            memset(out, 0, (size_t)out_sp * sizeof(float));
            for (long oy = 0; oy < out_h; oy++) {
                float *row = out + oy * out_w;
                for (long ky = 0; ky < k_h; ky++) {
                    const long y = oy * sh - pad_top + ky * dh;
                    if (y < 0 || y >= in_h) continue;
                    const float *src = plane + y * in_w;
                    for (long kx = 0; kx < k_w; kx++) {
                        // output columns [lo, hi) whose input column ox * sw + off is in [0, in_w)
                        const long off = kx * dw - pad_left;
                        const long lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
                        const long last = in_w - 1 - off;
                        const long hi = last < 0 ? 0 : (last / sw + 1 < out_w ? last / sw + 1 : out_w);
                        if (lo < hi) fma_row_body(row + lo, src + lo * sw + off, sw, w[ky * k_w + kx], hi - lo);
                    }
                }
            }
            if (bias != 0) {
                const float b = bias[oc];
                for (long i = 0; i < out_sp; i++) out[i] += b;
            }
        }
    }
}

#if defined(__x86_64__) && defined(__clang__)
// Two copies of each loop; the CPU is asked once (a racing first call stores the same answer).
static int fma_state;   // 0: not asked yet, 1: no FMA3, 2: FMA3

int ep_fma_instructions(void) {
    int s = __atomic_load_n(&fma_state, __ATOMIC_RELAXED);
    if (s == 0) {
        __builtin_cpu_init();
        s = __builtin_cpu_supports("fma") ? 2 : 1;
        __atomic_store_n(&fma_state, s, __ATOMIC_RELAXED);
    }
    return s == 2;
}

#define FMA_TARGET __attribute__((target("fma"), noinline))
#define PLAIN __attribute__((noinline))

FMA_TARGET static void gemm_nt_fma(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                                   float *c, long ldc, const float *bias, int mode) {
    gemm_nt_body(a, lda, b, ldb, m, n, k, c, ldc, bias, mode);
}
PLAIN static void gemm_nt_plain(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                                float *c, long ldc, const float *bias, int mode) {
    gemm_nt_body(a, lda, b, ldb, m, n, k, c, ldc, bias, mode);
}
void ep_gemm_nt(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                float *c, long ldc, const float *bias, int mode) {
    (ep_fma_instructions() ? gemm_nt_fma : gemm_nt_plain)(a, lda, b, ldb, m, n, k, c, ldc, bias, mode);
}

FMA_TARGET static void gemm_packed_fma(const float *ap, long m, const float *bp, long n, long k,
                                       float *c, long ldc, const float *bias, int mode) {
    gemm_packed_body(ap, m, bp, n, k, c, ldc, bias, mode);
}
PLAIN static void gemm_packed_plain(const float *ap, long m, const float *bp, long n, long k,
                                    float *c, long ldc, const float *bias, int mode) {
    gemm_packed_body(ap, m, bp, n, k, c, ldc, bias, mode);
}
void ep_gemm_packed(const float *ap, long m, const float *bp, long n, long k,
                    float *c, long ldc, const float *bias, int mode) {
    (ep_fma_instructions() ? gemm_packed_fma : gemm_packed_plain)(ap, m, bp, n, k, c, ldc, bias, mode);
}

FMA_TARGET static void depthwise_fma(const float *input, const float *weights, const float *bias,
                                     const ep_conv_shape *shape, int weights_finite, float *output) {
    depthwise_body(input, weights, bias, shape, weights_finite, output);
}
PLAIN static void depthwise_plain(const float *input, const float *weights, const float *bias,
                                  const ep_conv_shape *shape, int weights_finite, float *output) {
    depthwise_body(input, weights, bias, shape, weights_finite, output);
}
void ep_depthwise_conv(const float *input, const float *weights, const float *bias,
                       const ep_conv_shape *shape, int weights_finite, float *output) {
    (ep_fma_instructions() ? depthwise_fma : depthwise_plain)(input, weights, bias, shape, weights_finite, output);
}
#else
// aarch64 always has FMA; other targets get the compiler's fmaf.
int ep_fma_instructions(void) {
#if defined(__aarch64__)
    return 1;
#else
    return 0;
#endif
}

void ep_gemm_nt(const float *a, long lda, const float *b, long ldb, long m, long n, long k,
                float *c, long ldc, const float *bias, int mode) {
    gemm_nt_body(a, lda, b, ldb, m, n, k, c, ldc, bias, mode);
}

void ep_gemm_packed(const float *ap, long m, const float *bp, long n, long k,
                    float *c, long ldc, const float *bias, int mode) {
    gemm_packed_body(ap, m, bp, n, k, c, ldc, bias, mode);
}

void ep_depthwise_conv(const float *input, const float *weights, const float *bias,
                       const ep_conv_shape *shape, int weights_finite, float *output) {
    depthwise_body(input, weights, bias, shape, weights_finite, output);
}
#endif
