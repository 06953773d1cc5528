// Dense tap packing for binary convolutions with fewer than 64 input channels: a packed pixel
// then wastes most of its word (8 channels use 8 of 64 bits), so an im2col row of one word per
// tap costs 9 word popcounts per output for a 3×3 kernel where 72 bits need 2. Here each tap's
// `inChannels` bits are laid end to end, tap after tap, into ceil(taps * inChannels / 64) words,
// for the gathered input rows and, once at plan time, for the weights. Bits beyond inChannels
// are masked off on both sides, padded taps are gathered as 0 bits like the word-per-tap
// im2col, so the xor counts and the plan's padding correction are the same.

/// Words of one densely packed row.
@inline(__always)
func denseTapWords(_ g: ConvGeometry) -> Int { (g.taps * g.inChannels + 63) >> 6 }

/// Whether dense packing saves words: one input word per pixel, a kernel larger than 1×1.
func usesDenseTaps(_ g: ConvGeometry) -> Bool { g.inChannels < 64 && denseTapWords(g) < g.taps }

/// Weights [outChannels, taps] (one word per tap) as dense rows [outChannels, denseTapWords].
func denseTapWeights(_ weights: UnsafePointer<UInt64>, _ g: ConvGeometry) -> [UInt64] {
    let taps = g.taps, bits = g.inChannels, dw = denseTapWords(g), mask = (UInt64(1) << UInt64(bits)) - 1
    var dense = [UInt64](repeating: 0, count: g.outChannels * dw)
    dense.withUnsafeMutableBufferPointer { d in
        for oc in 0..<g.outChannels {
            var row = DenseRowWriter(d.baseAddress! + oc * dw, bits: bits)
            for t in 0..<taps { row.append(weights[oc * taps + t] & mask) }
            row.finish()
        }
    }
    return dense
}

/// Builds one dense row in a register, flushing each full word: taps arrive in order, so no
/// zeroing and no read-modify-write of the row.
struct DenseRowWriter {
    var row: UnsafeMutablePointer<UInt64>
    let bits: Int
    var acc: UInt64 = 0
    var off = 0

    @inline(__always) init(_ row: UnsafeMutablePointer<UInt64>, bits: Int) { self.row = row; self.bits = bits }

    @inline(__always) mutating func append(_ v: UInt64) {
        acc |= v &<< UInt64(off)
        let end = off + bits
        if end >= 64 {
            row.pointee = acc
            row += 1
            acc = end == 64 ? 0 : v &>> UInt64(64 - off)
            off = end - 64
        } else {
            off = end
        }
    }

    @inline(__always) func finish() { if off > 0 { row.pointee = acc } }
}

/// One image's dense im2col rows at `pixels`: cols [outSpatial, denseTapWords], 0 bits at padded taps.
/// `masks`: the plan's valid-tap mask per output pixel; pixels with every tap inside skip the
/// bounds tests.
func gatherDenseTaps(_ image: UnsafePointer<UInt64>, _ g: ConvGeometry, masks: UnsafePointer<UInt64>, fullMask: UInt64,
                     pixels: Range<Int>, _ cols: UnsafeMutablePointer<UInt64>) {
    let bits = g.inChannels, dw = denseTapWords(g), mask = (UInt64(1) << UInt64(bits)) - 1
    let rowStep = g.dilationH * g.inW
    for p in pixels {
        let oy = p / g.outW, ox = p % g.outW
        var row = DenseRowWriter(cols + p * dw, bits: bits)
        if masks[p] == fullMask {
            var tapRow = image + g.inY(oy, 0) * g.inW + g.inX(ox, 0)
            for _ in 0..<g.kernelH {
                for kx in 0..<g.kernelW { row.append(tapRow[kx * g.dilationW] & mask) }
                tapRow += rowStep
            }
        } else {
            for ky in 0..<g.kernelH {
                let y = g.inY(oy, ky)
                let rowInside = y >= 0 && y < g.inH
                for kx in 0..<g.kernelW {
                    let x = g.inX(ox, kx)
                    row.append(rowInside && x >= 0 && x < g.inW ? image[y * g.inW + x] & mask : 0)
                }
            }
        }
        row.finish()
    }
}
