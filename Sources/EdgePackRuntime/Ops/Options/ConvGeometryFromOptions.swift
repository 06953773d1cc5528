import EdgePackFormat

extension OpContext {
    /// Geometry of a Conv1D/Conv2D from its input shape (NCHW/NCL, or channels-last packed for
    /// binary inputs) and kernel size; validates the window and stride.
    func convGeometry(_ p: ConvParams, is1D: Bool, batch: Int, channels: Int, inH: Int, inW: Int,
                      outChannels: Int, kernelH: Int, kernelW: Int) throws(RuntimeError) -> ConvGeometry {
        var g = ConvGeometry()
        g.batch = batch; g.inChannels = channels; g.inH = inH; g.inW = inW
        g.outChannels = outChannels; g.kernelH = kernelH; g.kernelW = kernelW
        g.strideW = p.strideW; g.padLeft = p.padLeft; g.dilationW = p.dilationW; g.groups = p.groups
        if is1D {
            g.strideH = 1; g.padTop = 0; g.dilationH = 1
        } else {
            g.strideH = p.strideH; g.padTop = p.padTop; g.dilationH = p.dilationH
        }
        guard channels % p.groups == 0, outChannels % p.groups == 0 else {
            throw fail("\(channels) input and \(outChannels) output channels do not split into \(p.groups) groups")
        }
        guard let oh = is1D ? 1 : slidingOutput(inH, kernel: kernelH, stride: g.strideH, padBefore: p.padTop,
                                                 padAfter: p.padBottom, dilation: g.dilationH),
              let ow = slidingOutput(inW, kernel: kernelW, stride: g.strideW, padBefore: p.padLeft,
                                     padAfter: p.padRight, dilation: g.dilationW) else {
            throw fail("kernel \(kernelH)×\(kernelW) does not fit the \(inH)×\(inW) input with its padding")
        }
        g.outH = oh; g.outW = ow
        // Padding larger than the kernel's reach would make taps that never see the input.
        guard g.padTop < g.dilationH * (kernelH - 1) + 1 || is1D, g.padLeft < g.dilationW * (kernelW - 1) + 1 else {
            throw fail("padding exceeds the kernel's extent")
        }
        return g
    }

    /// Output shape of a convolution in NCHW or NCL.
    func convOutputShape(_ g: ConvGeometry, is1D: Bool) -> [Int] {
        is1D ? [g.batch, g.outChannels, g.outW] : [g.batch, g.outChannels, g.outH, g.outW]
    }
}
