import EdgePackFormat

/// Max or average pooling over planar [batch * channels, inH, inW] (1D: inH = 1).
/// Average divides by the taps inside the input unless countIncludePad (ONNX's attribute).
public func pool2d(_ x: UnsafePointer<Float>, planes: Int, inH: Int, inW: Int, outH: Int, outW: Int,
                   _ p: PoolParams, _ y: UnsafeMutablePointer<Float>) {
    for c in 0..<planes {
        let src = x + c * inH * inW
        let dst = y + c * outH * outW
        for oy in 0..<outH {
            let iy0 = oy * p.strideH - p.padTop
            let rowsInside = iy0 >= 0 && iy0 + p.kernelH <= inH
            for ox in 0..<outW {
                let ix0 = ox * p.strideW - p.padLeft
                var best = -Float.infinity
                var sum: Float = 0
                var n = 0
                if rowsInside && ix0 >= 0 && ix0 + p.kernelW <= inW {
                    // Every tap inside (most windows): no bounds tests, the same order of operations.
                    var row = src + iy0 * inW + ix0
                    for _ in 0..<p.kernelH {
                        for kx in 0..<p.kernelW {
                            let v = row[kx]
                            if v > best || v != v { best = v }
                            sum += v
                        }
                        row += inW
                    }
                    n = p.kernelH * p.kernelW
                } else {
                    for ky in 0..<p.kernelH {
                        let iy = iy0 + ky
                        if iy < 0 || iy >= inH { continue }
                        for kx in 0..<p.kernelW {
                            let ix = ix0 + kx
                            if ix < 0 || ix >= inW { continue }
                            let v = src[iy * inW + ix]
                            if v > best || v != v { best = v }
                            sum += v
                            n += 1
                        }
                    }
                }
                if p.kind == .max {
                    dst[oy * outW + ox] = best
                } else {
                    let divisor = p.countIncludePad ? p.kernelH * p.kernelW : max(n, 1)
                    dst[oy * outW + ox] = sum / Float(divisor)
                }
            }
        }
    }
}
