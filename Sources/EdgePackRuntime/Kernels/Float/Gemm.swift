// Float GEMM in dot-product form, C[m, n] = sum_k A[m, k] * B[n, k] (+ bias): both operands
// are read along k, which is how weights are stored ([out, in], as PyTorch does), so no
// repacking is needed at load. Register-tiled 4×4 with SIMD4 accumulators and fused
// multiply-add. The summation order is fixed (lanes, then ((l0 + l1) + (l2 + l3)), then bias),
// so the host and the aarch64 build produce identical bits.

public enum BiasMode { case none, perRow, perColumn }

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
func horizontalSum(_ v: SIMD4<Float>) -> Float { (v[0] + v[1]) + (v[2] + v[3]) }

/// a: [m, k] with row stride lda; b: [n, k] with row stride ldb; c: [m, n] with row stride ldc.
public func gemmNT(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                   m: Int, n: Int, k: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int,
                   bias: UnsafePointer<Float>?, mode: BiasMode) {
    let k4 = k & ~3
    @inline(__always) func finish(_ acc: SIMD4<Float>, _ ar: UnsafePointer<Float>, _ br: UnsafePointer<Float>,
                                  _ i: Int, _ j: Int) -> Float {
        var s = horizontalSum(acc)
        var kk = k4
        while kk < k { s = s.addingProduct(ar[kk], br[kk]); kk += 1 }
        if let bias {
            switch mode {
            case .none: break
            case .perRow: s += bias[i]
            case .perColumn: s += bias[j]
            }
        }
        return s
    }
    var i = 0
    while i + 4 <= m {
        let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
        var j = 0
        while j + 4 <= n {
            let b0 = b + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb
            var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c02 = SIMD4<Float>(), c03 = SIMD4<Float>()
            var c10 = SIMD4<Float>(), c11 = SIMD4<Float>(), c12 = SIMD4<Float>(), c13 = SIMD4<Float>()
            var c20 = SIMD4<Float>(), c21 = SIMD4<Float>(), c22 = SIMD4<Float>(), c23 = SIMD4<Float>()
            var c30 = SIMD4<Float>(), c31 = SIMD4<Float>(), c32 = SIMD4<Float>(), c33 = SIMD4<Float>()
            var kk = 0
            while kk < k4 {
                let x0 = load4(a0 + kk), x1 = load4(a1 + kk), x2 = load4(a2 + kk), x3 = load4(a3 + kk)
                let y0 = load4(b0 + kk), y1 = load4(b1 + kk), y2 = load4(b2 + kk), y3 = load4(b3 + kk)
                c00.addProduct(x0, y0); c01.addProduct(x0, y1); c02.addProduct(x0, y2); c03.addProduct(x0, y3)
                c10.addProduct(x1, y0); c11.addProduct(x1, y1); c12.addProduct(x1, y2); c13.addProduct(x1, y3)
                c20.addProduct(x2, y0); c21.addProduct(x2, y1); c22.addProduct(x2, y2); c23.addProduct(x2, y3)
                c30.addProduct(x3, y0); c31.addProduct(x3, y1); c32.addProduct(x3, y2); c33.addProduct(x3, y3)
                kk += 4
            }
            let r0 = c + i * ldc + j, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc
            r0[0] = finish(c00, a0, b0, i, j); r0[1] = finish(c01, a0, b1, i, j + 1)
            r0[2] = finish(c02, a0, b2, i, j + 2); r0[3] = finish(c03, a0, b3, i, j + 3)
            r1[0] = finish(c10, a1, b0, i + 1, j); r1[1] = finish(c11, a1, b1, i + 1, j + 1)
            r1[2] = finish(c12, a1, b2, i + 1, j + 2); r1[3] = finish(c13, a1, b3, i + 1, j + 3)
            r2[0] = finish(c20, a2, b0, i + 2, j); r2[1] = finish(c21, a2, b1, i + 2, j + 1)
            r2[2] = finish(c22, a2, b2, i + 2, j + 2); r2[3] = finish(c23, a2, b3, i + 2, j + 3)
            r3[0] = finish(c30, a3, b0, i + 3, j); r3[1] = finish(c31, a3, b1, i + 3, j + 1)
            r3[2] = finish(c32, a3, b2, i + 3, j + 2); r3[3] = finish(c33, a3, b3, i + 3, j + 3)
            j += 4
        }
        while j < n {
            let bj = b + j * ldb
            for r in 0..<4 {
                let ar = a + (i + r) * lda
                var acc = SIMD4<Float>()
                var kk = 0
                while kk < k4 { acc.addProduct(load4(ar + kk), load4(bj + kk)); kk += 4 }
                c[(i + r) * ldc + j] = finish(acc, ar, bj, i + r, j)
            }
            j += 1
        }
        i += 4
    }
    while i < m {
        let ar = a + i * lda
        for j in 0..<n {
            let bj = b + j * ldb
            var acc = SIMD4<Float>()
            var kk = 0
            while kk < k4 { acc.addProduct(load4(ar + kk), load4(bj + kk)); kk += 4 }
            c[i * ldc + j] = finish(acc, ar, bj, i, j)
        }
        i += 1
    }
}

extension SIMD4 where Scalar == Float {
    @inline(__always)
    mutating func addProduct(_ x: SIMD4<Float>, _ y: SIMD4<Float>) { self = self.addingProduct(x, y) }
}
