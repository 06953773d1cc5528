// Float convolution by im2col + GEMM (groups handled one group at a time). Column rows are
// output pixels, so the GEMM writes NCHW output directly. When both the output channels and
// the pixels fill at least one 8-wide panel, im2col writes the packed-panel layout of
// GemmPacked and the weights are packed per call (cheap against the multiply); otherwise the
// dot-form kernel runs on plain rows.

/// Scratch bytes conv2dFloat needs for this geometry: [columns, packed weights].
public func conv2dFloatScratch(_ g: ConvGeometry) -> [Int] {
    let cinG = g.inChannels / g.groups, coutG = g.outChannels / g.groups
    let K = cinG * g.taps
    if usesPackedGemm(m: coutG, n: g.outSpatial) {
        return [packedPanelSize(rows: g.outSpatial, k: K) * 4, packedPanelSize(rows: coutG, k: K) * 4]
    }
    return [g.outSpatial * K * 4, 0]
}

/// The outer-product kernel pays off once both output dimensions fill a panel.
@inline(__always)
public func usesPackedGemm(m: Int, n: Int) -> Bool { m >= gemmPanel && n >= gemmPanel }

/// input: [batch, inC, inSpatial]; weights: [outC, inC/groups, KH, KW]; bias: [outC] or nil;
/// cols, packedWeights: scratch sized by conv2dFloatScratch; output: [batch, outC, outSpatial].
public func conv2dFloat(_ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                        _ g: ConvGeometry, cols: UnsafeMutablePointer<Float>, packedWeights: UnsafeMutablePointer<Float>,
                        _ output: UnsafeMutablePointer<Float>) {
    let cinG = g.inChannels / g.groups, coutG = g.outChannels / g.groups
    let K = cinG * g.taps, P = g.outSpatial
    let packed = usesPackedGemm(m: coutG, n: P)
    for n in 0..<g.batch {
        for grp in 0..<g.groups {
            let image = input + (n * g.inChannels + grp * cinG) * g.inSpatial
            for oy in 0..<g.outH {
                for ox in 0..<g.outW {
                    let p = oy * g.outW + ox
                    // Row layout: cols[p][kk]; panel layout: cols[p / 8][kk][p % 8].
                    let base = packed ? (p / gemmPanel) * K * gemmPanel + p % gemmPanel : p * K
                    let step = packed ? gemmPanel : 1
                    for ci in 0..<cinG {
                        let plane = image + ci * g.inSpatial
                        for ky in 0..<g.kernelH {
                            let y = g.inY(oy, ky)
                            for kx in 0..<g.kernelW {
                                let x = g.inX(ox, kx)
                                let kk = (ci * g.kernelH + ky) * g.kernelW + kx
                                cols[base + kk * step] = (y >= 0 && y < g.inH && x >= 0 && x < g.inW) ? plane[y * g.inW + x] : 0
                            }
                        }
                    }
                }
            }
            if packed {
                // Zero the padding pixels of the last panel (its lanes are computed, then dropped).
                for p in P..<((P + gemmPanel - 1) / gemmPanel * gemmPanel) {
                    let base = (p / gemmPanel) * K * gemmPanel + p % gemmPanel
                    for kk in 0..<K { cols[base + kk * gemmPanel] = 0 }
                }
            }
            let w = weights + grp * coutG * K
            let out = output + (n * g.outChannels + grp * coutG) * P
            let groupBias = bias.map { $0 + grp * coutG }
            if packed {
                packPanels(w, ld: K, count: coutG, k: K, packedWeights)
                gemmPacked(packedWeights, m: coutG, cols, n: P, k: K, out, ldc: P, bias: groupBias, mode: .perRow)
            } else {
                gemmNT(w, lda: K, cols, ldb: K, m: coutG, n: P, k: K, out, ldc: P, bias: groupBias, mode: .perRow)
            }
        }
    }
}
