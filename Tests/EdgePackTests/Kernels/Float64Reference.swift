// Independent float64 references for the operators: plain loops over NCHW indices, written
// from the operators' definitions (ONNX semantics), sharing no code with the kernels.

struct Conv2DSpec {
    var n = 1, c = 1, h = 1, w = 1, cout = 1, kh = 1, kw = 1
    var sh = 1, sw = 1, pt = 0, pl = 0, pb = 0, pr = 0, dh = 1, dw = 1, groups = 1
    var oh: Int { (h + pt + pb - dh * (kh - 1) - 1) / sh + 1 }
    var ow: Int { (w + pl + pr - dw * (kw - 1) - 1) / sw + 1 }
}

/// y[n, co, oy, ox] = b[co] + sum x[n, g*cin_g + ci, iy, ix] * w[co, ci, ky, kx], zero padding.
func referenceConv2D(_ x: [Float], _ w: [Float], _ b: [Float]?, _ s: Conv2DSpec) -> [Double] {
    let cinG = s.c / s.groups, coutG = s.cout / s.groups
    var y = [Double](repeating: 0, count: s.n * s.cout * s.oh * s.ow)
    for n in 0..<s.n { for co in 0..<s.cout {
        let g = co / coutG
        for oy in 0..<s.oh { for ox in 0..<s.ow {
            var acc = b.map { Double($0[co]) } ?? 0
            for ci in 0..<cinG { for ky in 0..<s.kh { for kx in 0..<s.kw {
                let iy = oy * s.sh - s.pt + ky * s.dh, ix = ox * s.sw - s.pl + kx * s.dw
                guard iy >= 0, iy < s.h, ix >= 0, ix < s.w else { continue }
                let xv = Double(x[((n * s.c + g * cinG + ci) * s.h + iy) * s.w + ix])
                acc += xv * Double(w[((co * cinG + ci) * s.kh + ky) * s.kw + kx])
            } } }
            y[((n * s.cout + co) * s.oh + oy) * s.ow + ox] = acc
        } }
    } }
    return y
}

/// sign as the source graph computes it before binarized layers: -1, 0 or +1... except that the
/// runtime's packed sign maps x >= threshold to +1 (sign(0) = +1 inside the tensor, as LCE and
/// daBNN do); only padding is exactly 0. This reference uses the same convention.
func packedSign(_ v: Float, threshold: Float = 0) -> Double { v < threshold ? -1 : 1 }

func referenceGemm(_ x: [Float], rows: Int, k: Int, _ w: [Float], n: Int, _ b: [Float]?) -> [Double] {
    var y = [Double](repeating: 0, count: rows * n)
    for r in 0..<rows { for j in 0..<n {
        var acc = b.map { Double($0[j]) } ?? 0
        for i in 0..<k { acc += Double(x[r * k + i]) * Double(w[j * k + i]) }
        y[r * n + j] = acc
    } }
    return y
}
