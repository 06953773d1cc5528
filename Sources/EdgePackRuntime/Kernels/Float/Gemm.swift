// Float GEMM in dot-product form, C[m, n] = sum_k A[m, k] * B[n, k] (+ bias): both operands
// are read along k, which is how weights are stored ([out, in], as PyTorch does), so no
// repacking is needed at load. The loops are C (ep_gemm_nt, Sources/CEdgePackSys/fma.c), so
// the x86-64 host uses FMA instructions where the CPU has them without requiring them:
// register-tiled 4×4 with 4-lane fused multiply-add accumulators in a fixed order (lanes,
// then ((l0 + l1) + (l2 + l3)), then the tail, then bias), identical bits on every build.

import CEdgePackSys

public enum BiasMode {
    case none, perRow, perColumn

    var cValue: Int32 {
        switch self {
        case .none: Int32(EP_BIAS_NONE)
        case .perRow: Int32(EP_BIAS_PER_ROW)
        case .perColumn: Int32(EP_BIAS_PER_COLUMN)
        }
    }
}

/// a: [m, k] with row stride lda; b: [n, k] with row stride ldb; c: [m, n] with row stride ldc.
public func gemmNT(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                   m: Int, n: Int, k: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int,
                   bias: UnsafePointer<Float>?, mode: BiasMode) {
    ep_gemm_nt(a, lda, b, ldb, m, n, k, c, ldc, bias, mode.cValue)
}

/// True when the float kernels' fused multiply-adds run as instructions (aarch64; x86-64 with
/// FMA3), false when each is the C library's fmaf. The same bits either way.
public var floatKernelsUseFMAInstructions: Bool { ep_fma_instructions() != 0 }
