import CEdgePackSys

// Float convolution by im2col + GEMM (groups handled one group at a time). Column rows are
// output pixels, so the GEMM writes NCHW output directly. When both the output channels and
// the pixels fill at least one 8-wide panel, im2col writes the packed-panel layout of
// GemmPacked and the weights are multiplied as panels, packed once per model
// (`packConv2dFloatWeights`, when the interpreter is prepared); otherwise the dot-form kernel
// runs on the weights as stored.

/// The outer-product kernel pays off once both output dimensions fill a panel.
@inline(__always)
public func usesPackedGemm(m: Int, n: Int) -> Bool { m >= gemmPanel && n >= gemmPanel }

/// Floats of conv2dFloat's packed weights (every group's panels, group after group), or 0 when
/// the dot-form kernel reads the weights as stored.
public func conv2dFloatPackedWeightCount(_ g: ConvGeometry) -> Int {
    let coutG = g.outChannels / g.groups, K = g.inChannels / g.groups * g.taps
    return usesPackedGemm(m: coutG, n: g.outSpatial) ? g.groups * packedPanelSize(rows: coutG, k: K) : 0
}

/// Packs weights [outC, inC/groups, KH, KW] into the panels conv2dFloat multiplies by
/// (conv2dFloatPackedWeightCount(g) floats; only when that count is not 0).
public func packConv2dFloatWeights(_ weights: UnsafePointer<Float>, _ g: ConvGeometry, _ panels: UnsafeMutablePointer<Float>) {
    let coutG = g.outChannels / g.groups, K = g.inChannels / g.groups * g.taps
    let groupPanels = packedPanelSize(rows: coutG, k: K)
    for grp in 0..<g.groups {
        packPanels(weights + grp * coutG * K, ld: K, count: coutG, k: K, panels + grp * groupPanels)
    }
}

/// Columns are built and multiplied a block of output pixels at a time, so that a layer's scratch
/// is about this many bytes per part rather than its whole im2col matrix (102 KiB for the keyword
/// spotter's second front conv, most of that model's arena). Each output is the same sum in the
/// same order whatever the block, as when threads split the pixels. Each block pays the gather's
/// set-up of every tap again: 32 KiB costs that conv 3 more (+3.6 % aarch64 instructions for the
/// keyword spotter) and takes 75 KiB off its heap; 16 KiB would cost +8.5 %.
let conv2dFloatColumnBlockBytes = 32 << 10

/// Output pixels per block: whole rows when rows are whole panels (the C gather's fast path),
/// else whole panels; at least one row or panel.
public func conv2dFloatBlockPixels(_ g: ConvGeometry) -> Int {
    let K = g.inChannels / g.groups * g.taps
    let want = max(1, conv2dFloatColumnBlockBytes / (K * 4))
    let unit = g.outW % gemmPanel == 0 ? g.outW : gemmPanel
    return min(g.outSpatial, max(1, want / unit) * unit)
}

/// Scratch bytes of one block's columns (conv2dFloatBlockPixels(g) pixels).
public func conv2dFloatBlockBytes(_ g: ConvGeometry) -> Int {
    let K = g.inChannels / g.groups * g.taps
    let coutG = g.outChannels / g.groups, pixels = conv2dFloatBlockPixels(g)
    return (usesPackedGemm(m: coutG, n: g.outSpatial) ? packedPanelSize(rows: pixels, k: K) : pixels * K) * 4
}

/// The panel of pixel p (never negative: an unsigned division by the panel width is a shift).
@inline(__always) private func panelOf(_ p: Int) -> Int { Int(bitPattern: UInt(bitPattern: p) / UInt(gemmPanel)) }

/// input: [batch, inC, inSpatial]; `preparedWeights`: the panels of packConv2dFloatWeights when
/// conv2dFloatPackedWeightCount(g) is not 0, else the weights [outC, inC/groups, KH, KW] as
/// stored; bias: [outC] or nil; cols: conv2dFloatBlockBytes(g) of scratch; output: [batch, outC, outSpatial].
public func conv2dFloat(_ input: UnsafePointer<Float>, preparedWeights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                        _ g: ConvGeometry, cols: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    conv2dFloatBlocks(input, preparedWeights: preparedWeights, bias, g, pixels: 0..<g.outSpatial, cols: cols, output)
}

/// conv2dFloat at output pixels `pixels` (starting on a panel), a block of
/// conv2dFloatBlockPixels(g) at a time through `cols` (conv2dFloatBlockBytes(g) of scratch).
func conv2dFloatBlocks(_ input: UnsafePointer<Float>, preparedWeights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                       _ g: ConvGeometry, pixels: Range<Int>, cols: UnsafeMutablePointer<Float>,
                       _ output: UnsafeMutablePointer<Float>) {
    let block = conv2dFloatBlockPixels(g)
    var p = pixels.lowerBound
    while p < pixels.upperBound {
        let q = min(p + block, pixels.upperBound)
        conv2dFloatPixels(input, preparedWeights: preparedWeights, bias, g, pixels: p..<q, cols: cols, colsFrom: p, output)
        p = q
    }
}

/// conv2dFloat at output pixels `pixels` only (every image and group), writing only their
/// columns and outputs; blocks start on a multiple of `gemmPanel` so that panels are not shared.
/// `cols` holds the columns from pixel `first` on (a multiple of `gemmPanel`, at most pixels' start).
@inline(__always)
func conv2dFloatPixels(_ input: UnsafePointer<Float>, preparedWeights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                       _ g: ConvGeometry, pixels: Range<Int>, cols: UnsafeMutablePointer<Float>, colsFrom first: Int,
                       _ output: UnsafeMutablePointer<Float>) {
    let cinG = g.inChannels / g.groups, coutG = g.outChannels / g.groups
    let K = cinG * g.taps, P = g.outSpatial
    let packed = usesPackedGemm(m: coutG, n: P)
    let p0 = pixels.lowerBound, p1 = pixels.upperBound
    guard p0 < p1 else { return }
    for n in 0..<g.batch {
        for grp in 0..<g.groups {
            let image = input + (n * g.inChannels + grp * cinG) * g.inSpatial
            // Row layout: cols[p][kk]; panel layout: cols[p / 8][kk][p % 8]. For each tap, the
            // output columns whose input x lies inside the row, [oxLo, oxHi), are found once, so
            // the copy loop has no bounds test; padding is written as runs of zeros.
            let panelStride = K &* gemmPanel
            // Writes n values for pixels pStart... at column kk: src[i * step] (step 0 with a
            // zero source writes zeros). In panel layout, runs of consecutive lanes at a time.
            @inline(__always) func put(_ pStart: Int, _ n: Int, _ kk: Int, _ src: UnsafePointer<Float>, _ step: Int) {
                if packed {
                    var p = pStart, i = 0
                    while i < n {
                        let lane = p & (gemmPanel - 1), seg = min(n &- i, gemmPanel &- lane)
                        let d = cols + (panelOf(p &- first) &* panelStride &+ kk &* gemmPanel &+ lane)
                        var j = 0
                        while j < seg { d[j] = src[(i &+ j) &* step]; j &+= 1 }
                        i &+= seg; p &+= seg
                    }
                } else {
                    let d = cols + ((pStart &- first) &* K &+ kk)
                    var i = 0
                    while i < n { d[i &* K] = src[i &* step]; i &+= 1 }
                }
            }
            var zero: Float = 0
            let sW = g.strideW
            // Rows of whole panels (the output width a multiple of 8, whole rows asked for): a row's
            // lane ox is panel ox / 8, lane ox % 8, so each tap and row is three plain loops (in C,
            // where the per-run set-up of small convolutions stays in registers).
            let wholePanelRows = packed && g.outW % gemmPanel == 0 && p0 % g.outW == 0 && p1 % g.outW == 0
            if wholePanelRows {
                var shape = ep_conv_shape(
                    batch: 1, in_c: cinG, in_h: g.inH, in_w: g.inW, out_c: coutG, out_h: g.outH, out_w: g.outW,
                    k_h: g.kernelH, k_w: g.kernelW, stride_h: g.strideH, stride_w: g.strideW, pad_top: g.padTop,
                    pad_left: g.padLeft, dil_h: g.dilationH, dil_w: g.dilationW)
                ep_im2col_panel_rows(image, g.inSpatial, &shape, p0 / g.outW, p1 / g.outW, cols + (p0 - first) * K)
            } else {
                for ci in 0..<cinG {
                    let plane = image + ci * g.inSpatial
                    for ky in 0..<g.kernelH {
                        for kx in 0..<g.kernelW {
                            let kk = (ci * g.kernelH + ky) * g.kernelW + kx
                            let xOffset = kx * g.dilationW - g.padLeft
                            let oxLo = xOffset >= 0 ? 0 : (sW - 1 - xOffset) / sW
                            let oxHi = max(0, min(g.outW, (g.inW - xOffset + sW - 1) / sW))
                            for oy in (p0 / g.outW)...((p1 - 1) / g.outW) {
                                let y = g.inY(oy, ky), rowStart = oy * g.outW
                                let a = max(p0 - rowStart, 0), b = min(p1 - rowStart, g.outW)
                                let inLo = y >= 0 && y < g.inH ? min(max(a, oxLo), b) : b
                                let inHi = y >= 0 && y < g.inH ? max(min(b, oxHi), inLo) : b
                                put(rowStart &+ a, inLo &- a, kk, &zero, 0)
                                if inLo < inHi { put(rowStart &+ inLo, inHi &- inLo, kk, plane + y * g.inW + xOffset + inLo * sW, sW) }
                                put(rowStart &+ inHi, b &- inHi, kk, &zero, 0)
                            }
                        }
                    }
                }
            }
            let out = output + (n * g.outChannels + grp * coutG) * P + p0
            let groupBias = bias.map { $0 + grp * coutG }
            if packed {
                // Zero the padding pixels of the last panel (its lanes are computed, then dropped).
                for p in p1..<((p1 + gemmPanel - 1) / gemmPanel * gemmPanel) {
                    let base = ((p - first) / gemmPanel) * K * gemmPanel + p % gemmPanel
                    for kk in 0..<K { cols[base + kk * gemmPanel] = 0 }
                }
                let panels = preparedWeights + grp * packedPanelSize(rows: coutG, k: K)
                gemmPacked(panels, m: coutG, cols + (p0 - first) * K, n: p1 - p0, k: K, out, ldc: P, bias: groupBias, mode: .perRow)
            } else {
                gemmNT(preparedWeights + grp * coutG * K, lda: K, cols + (p0 - first) * K, ldb: K, m: coutG, n: p1 - p0, k: K, out, ldc: P,
                       bias: groupBias, mode: .perRow)
            }
        }
    }
}
