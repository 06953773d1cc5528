// Float GEMM for larger shapes, in outer-product form (as BLAS libraries do): both operands are
// rearranged into panels of 8 along the output dimension, k-major, so one step of k loads 8 row
// values and 8 column values and issues 16 fused multiply-adds by vector lane (NEON
// fmla by element), into an 8×8 tile of accumulators held in registers. Each element's
// accumulation runs over k in order from 0, then adds the bias: a fixed order, identical bits
// on every build.

import CEdgePackSys

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
/// (see `packPanels`); C row stride ldc. The 8×8 tile is C (ep_gemm_packed, see Gemm.swift).
public func gemmPacked(_ aPanels: UnsafePointer<Float>, m: Int, _ bPanels: UnsafePointer<Float>, n: Int, k: Int,
                       _ c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>?, mode: BiasMode) {
    ep_gemm_packed(aPanels, m, bPanels, n, k, c, ldc, bias, mode.cValue)
}
