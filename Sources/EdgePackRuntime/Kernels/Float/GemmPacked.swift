// Float GEMM for larger shapes, in outer-product form (as BLAS libraries do): both operands are
// rearranged into panels of 8 along the output dimension, k-major, so one step of k loads 8 row
// values and 8 column values and issues 16 fused multiply-adds by vector lane (NEON
// fmla by element), into an 8×8 tile of accumulators held in registers. Each element's
// accumulation runs over k in order from 0, then adds the bias: a fixed order, identical bits
// on every build.

public let gemmPanel = 8

/// Floats needed to hold `count` rows of length `k` as panels of 8 (zero-padded).
public func packedPanelSize(rows count: Int, k: Int) -> Int { (count + gemmPanel - 1) / gemmPanel * gemmPanel * k }

/// Packs rows of `src` ([count, k], row stride ld) into panels [ceil(count/8)][k][8].
public func packPanels(_ src: UnsafePointer<Float>, ld: Int, count: Int, k: Int, _ dst: UnsafeMutablePointer<Float>) {
    let panels = (count + gemmPanel - 1) / gemmPanel
    for p in 0..<panels {
        let out = dst + p * k * gemmPanel
        for r in 0..<gemmPanel {
            let row = p * gemmPanel + r
            if row < count {
                let s = src + row * ld
                for kk in 0..<k { out[kk * gemmPanel + r] = s[kk] }
            } else {
                for kk in 0..<k { out[kk * gemmPanel + r] = 0 }
            }
        }
    }
}

/// C[m, n] = sum_k A[m, k] B[n, k] (+ bias) with A and B given as packed panels
/// (see `packPanels`); C row stride ldc.
public func gemmPacked(_ aPanels: UnsafePointer<Float>, m: Int, _ bPanels: UnsafePointer<Float>, n: Int, k: Int,
                       _ c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>?, mode: BiasMode) {
    var i = 0
    while i < m {
        let ap = aPanels + (i / gemmPanel) * k * gemmPanel
        var j = 0
        while j < n {
            let bp = bPanels + (j / gemmPanel) * k * gemmPanel
            tile8x8(ap, bp, k, c, ldc, i, j, m, n, bias, mode)
            j += gemmPanel
        }
        i += gemmPanel
    }
}

@inline(__always)
func tile8x8(_ ap: UnsafePointer<Float>, _ bp: UnsafePointer<Float>, _ k: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
             _ i: Int, _ j: Int, _ m: Int, _ n: Int, _ bias: UnsafePointer<Float>?, _ mode: BiasMode) {
    var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c10 = SIMD4<Float>(), c11 = SIMD4<Float>()
    var c20 = SIMD4<Float>(), c21 = SIMD4<Float>(), c30 = SIMD4<Float>(), c31 = SIMD4<Float>()
    var c40 = SIMD4<Float>(), c41 = SIMD4<Float>(), c50 = SIMD4<Float>(), c51 = SIMD4<Float>()
    var c60 = SIMD4<Float>(), c61 = SIMD4<Float>(), c70 = SIMD4<Float>(), c71 = SIMD4<Float>()
    var a = ap, b = bp
    for _ in 0..<k {
        let a0 = load4(a), a1 = load4(a + 4)
        let b0 = load4(b), b1 = load4(b + 4)
        c00.addProduct(SIMD4(repeating: a0[0]), b0); c01.addProduct(SIMD4(repeating: a0[0]), b1)
        c10.addProduct(SIMD4(repeating: a0[1]), b0); c11.addProduct(SIMD4(repeating: a0[1]), b1)
        c20.addProduct(SIMD4(repeating: a0[2]), b0); c21.addProduct(SIMD4(repeating: a0[2]), b1)
        c30.addProduct(SIMD4(repeating: a0[3]), b0); c31.addProduct(SIMD4(repeating: a0[3]), b1)
        c40.addProduct(SIMD4(repeating: a1[0]), b0); c41.addProduct(SIMD4(repeating: a1[0]), b1)
        c50.addProduct(SIMD4(repeating: a1[1]), b0); c51.addProduct(SIMD4(repeating: a1[1]), b1)
        c60.addProduct(SIMD4(repeating: a1[2]), b0); c61.addProduct(SIMD4(repeating: a1[2]), b1)
        c70.addProduct(SIMD4(repeating: a1[3]), b0); c71.addProduct(SIMD4(repeating: a1[3]), b1)
        a += gemmPanel; b += gemmPanel
    }
    let fullTile = i + gemmPanel <= m && j + gemmPanel <= n
    @inline(__always) func emit(_ r: Int, _ lo: SIMD4<Float>, _ hi: SIMD4<Float>) {
        guard i + r < m else { return }
        let out = c + (i + r) * ldc + j
        if fullTile {
            var lo = lo, hi = hi
            if let bias {
                switch mode {
                case .none: break
                case .perRow: lo += SIMD4(repeating: bias[i + r]); hi += SIMD4(repeating: bias[i + r])
                case .perColumn: lo += load4(bias + j); hi += load4(bias + j + 4)
                }
            }
            UnsafeMutableRawPointer(out).storeBytes(of: lo, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(out + 4).storeBytes(of: hi, as: SIMD4<Float>.self)
        } else {
            for q in 0..<min(gemmPanel, n - j) {
                var v = q < 4 ? lo[q] : hi[q - 4]
                if let bias {
                    switch mode {
                    case .none: break
                    case .perRow: v += bias[i + r]
                    case .perColumn: v += bias[j + q]
                    }
                }
                out[q] = v
            }
        }
    }
    emit(0, c00, c01); emit(1, c10, c11); emit(2, c20, c21); emit(3, c30, c31)
    emit(4, c40, c41); emit(5, c50, c51); emit(6, c60, c61); emit(7, c70, c71)
}
