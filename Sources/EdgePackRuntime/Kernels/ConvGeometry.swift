/// Shape of one convolution: NCHW input, OIHW weights. Conv1D uses inH = outH = kernelH = 1.
public struct ConvGeometry {
    public var batch = 1
    public var inChannels = 1, inH = 1, inW = 1
    public var outChannels = 1, outH = 1, outW = 1
    public var kernelH = 1, kernelW = 1
    public var strideH = 1, strideW = 1
    public var padTop = 0, padLeft = 0
    public var dilationH = 1, dilationW = 1
    public var groups = 1
    public init() {}

    public var inSpatial: Int { inH * inW }
    public var outSpatial: Int { outH * outW }
    public var taps: Int { kernelH * kernelW }

    /// Whether the convolution reads its input pixel by pixel (1×1, stride 1, no padding).
    public var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
            && outH == inH && outW == inW
    }

    /// Input row/column of output (oy, ox) and tap (ky, kx); may fall outside the input.
    @inline(__always) public func inY(_ oy: Int, _ ky: Int) -> Int { oy * strideH - padTop + ky * dilationH }
    @inline(__always) public func inX(_ ox: Int, _ kx: Int) -> Int { ox * strideW - padLeft + kx * dilationW }
}
