import EdgePackFormat

/// Max/average pooling, windowed or global, over [N, C, H, W] (Pool2D) or [N, C, L] (Pool1D).
func preparePool(_ c: OpContext, is1D: Bool) throws(RuntimeError) -> PreparedOp {
    guard case .pool(var params) = c.op.options else { throw c.fail("options are not PoolOptions") }
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape
    let rank = is1D ? 3 : 4
    guard xs.count == rank else { throw c.fail("input must have rank \(rank), has \(xs)") }
    let inH = is1D ? 1 : xs[2], inW = xs[rank - 1]
    var p = PreparedOp(kind: params.global ? .globalPool : .pool, index: c.index, inputs: [x], output: out)
    p.outer = xs[0] * xs[1]
    p.geometry.inH = inH; p.geometry.inW = inW
    if params.global {
        try c.expectShape(out, is1D ? [xs[0], xs[1], 1] : [xs[0], xs[1], 1, 1], "output")
    } else {
        if is1D { params.kernelH = 1; params.strideH = 1; params.padTop = 0; params.padBottom = 0 }
        guard let oh = slidingOutput(inH, kernel: params.kernelH, stride: params.strideH, padBefore: params.padTop,
                                     padAfter: params.padBottom, dilation: 1),
              let ow = slidingOutput(inW, kernel: params.kernelW, stride: params.strideW, padBefore: params.padLeft,
                                     padAfter: params.padRight, dilation: 1) else {
            throw c.fail("pooling window does not fit the \(inH)×\(inW) input")
        }
        guard params.padTop < params.kernelH, params.padLeft < params.kernelW,
              params.padBottom < params.kernelH, params.padRight < params.kernelW else {
            throw c.fail("pooling padding must be smaller than the window")
        }
        p.geometry.outH = oh; p.geometry.outW = ow
        try c.expectShape(out, is1D ? [xs[0], xs[1], ow] : [xs[0], xs[1], oh, ow], "output")
    }
    p.pool = params
    return p
}
