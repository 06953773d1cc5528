// Float convolution by im2col + GEMM (groups handled one group at a time). Rows of the column
// buffer are output pixels, so gemmNT(weights, cols) writes NCHW output directly.

/// input: [batch, inC, inSpatial]; weights: [outC, inC/groups, KH, KW]; bias: [outC] or nil;
/// cols: scratch [outSpatial, inC/groups * taps]; output: [batch, outC, outSpatial].
public func conv2dFloat(_ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                        _ g: ConvGeometry, cols: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    let cinG = g.inChannels / g.groups, coutG = g.outChannels / g.groups
    let K = cinG * g.taps, P = g.outSpatial
    for n in 0..<g.batch {
        for grp in 0..<g.groups {
            let image = input + (n * g.inChannels + grp * cinG) * g.inSpatial
            for oy in 0..<g.outH {
                for ox in 0..<g.outW {
                    let row = cols + (oy * g.outW + ox) * K
                    for ci in 0..<cinG {
                        let plane = image + ci * g.inSpatial
                        for ky in 0..<g.kernelH {
                            let y = g.inY(oy, ky)
                            for kx in 0..<g.kernelW {
                                let x = g.inX(ox, kx)
                                row[(ci * g.kernelH + ky) * g.kernelW + kx] =
                                    (y >= 0 && y < g.inH && x >= 0 && x < g.inW) ? plane[y * g.inW + x] : 0
                            }
                        }
                    }
                }
            }
            let w = weights + grp * coutG * K
            let out = output + (n * g.outChannels + grp * coutG) * P
            gemmNT(w, lda: K, UnsafePointer(cols), ldb: K, m: coutG, n: P, k: K, out, ldc: P,
                   bias: bias.map { $0 + grp * coutG }, mode: .perRow)
        }
    }
}
