// See edgepack_fma.h (ep_im2col_panel_rows). In C because the float convolutions of small models
// (the keyword spotter's 5×5 front convs: ~3,600 runs of 8-16 values per inference) are dominated by
// per-run set-up, which the Swift loop paid in spilled registers; here each tap and row is a few
// instructions of set-up and one load and store per value.
#include "edgepack_fma.h"

enum { PANEL = 8 };

void ep_im2col_panel_rows(const float *image, long in_spatial, const ep_conv_shape *shape, long oy0, long oy1,
                          float *cols) {
    const long cin = shape->in_c, in_h = shape->in_h, in_w = shape->in_w, out_w = shape->out_w;
    const long k_h = shape->k_h, k_w = shape->k_w, sh = shape->stride_h, sw = shape->stride_w;
    const long pad_top = shape->pad_top, pad_left = shape->pad_left, dh = shape->dil_h, dw = shape->dil_w;
    const long panel_stride = cin * k_h * k_w * PANEL, row_panels = out_w / PANEL;
    for (long ci = 0; ci < cin; ci++) {
        const float *plane = image + ci * in_spatial;
        for (long ky = 0; ky < k_h; ky++) {
            const long y_of_row0 = ky * dh - pad_top;
            for (long kx = 0; kx < k_w; kx++) {
                const long kk = (ci * k_h + ky) * k_w + kx, off = kx * dw - pad_left;
                // output columns [lo, hi) whose input column ox * sw + off lies in [0, in_w)
                long lo = off >= 0 ? 0 : (sw - 1 - off) / sw;
                long hi = (in_w - off + sw - 1) / sw;
                hi = hi < 0 ? 0 : (hi > out_w ? out_w : hi);
                lo = lo > hi ? hi : lo;
                for (long oy = oy0; oy < oy1; oy++) {
                    float *d = cols + (oy - oy0) * row_panels * panel_stride + kk * PANEL;
                    const long y = oy * sh + y_of_row0;
                    const int row_in = y >= 0 && y < in_h;
                    const float *row = plane + (row_in ? y * in_w : 0);
                    const long copy_lo = row_in ? lo : out_w, copy_hi = row_in ? hi : out_w;
                    long ox = 0;
                    for (long q = 0; q < row_panels; q++, d += panel_stride) {
                        const long end = ox + PANEL, a = copy_lo < end ? copy_lo : end, b = copy_hi < end ? copy_hi : end;
                        float *lane = d - ox;   // lane[ox] is this panel's lane ox % 8
                        for (; ox < a; ox++) lane[ox] = 0;
                        for (; ox < b; ox++) lane[ox] = row[ox * sw + off];
                        for (; ox < end; ox++) lane[ox] = 0;
                    }
                }
            }
        }
    }
}
