import EdgePackFormat

/// PoolOptions: max or average, windowed or global.
extension PoolParams: OperatorOptions {
    public static var tableType: UInt8 { 10 }
    public static var whenAbsent: PoolParams? { nil }

    public init(decoding t: OptionsTable) throws(ModelError) {
        self.init()
        let raw = try t.i8(0, 0)
        guard let k = PoolKind(rawValue: raw) else { throw ModelError("\(t.path).kind: unknown value \(raw)") }
        kind = k
        global = try t.bool(1, false)
        kernelH = try t.int(2, 1, "kernel_h", in: 1...windowLimit); kernelW = try t.int(3, 1, "kernel_w", in: 1...windowLimit)
        strideH = try t.int(4, 1, "stride_h", in: 1...windowLimit); strideW = try t.int(5, 1, "stride_w", in: 1...windowLimit)
        padTop = try t.int(6, 0, "pad_top", in: 0...windowLimit); padLeft = try t.int(7, 0, "pad_left", in: 0...windowLimit)
        padBottom = try t.int(8, 0, "pad_bottom", in: 0...windowLimit); padRight = try t.int(9, 0, "pad_right", in: 0...windowLimit)
        countIncludePad = try t.bool(10, false)
    }

    public var fields: [OptionField?] {
        [.i8(kind.rawValue), .bool(global), .i32(Int32(kernelH)), .i32(Int32(kernelW)), .i32(Int32(strideH)),
         .i32(Int32(strideW)), .i32(Int32(padTop)), .i32(Int32(padLeft)), .i32(Int32(padBottom)), .i32(Int32(padRight)),
         .bool(countIncludePad)]
    }
}

/// Max/average pooling, windowed or global, over [N, C, H, W] (Pool2D) or [N, C, L] (Pool1D).
struct PoolOp {
    var params: PoolParams
    var planes: Int
    var inH: Int, inW: Int
    var outH = 1, outW = 1

    static func prepare(_ c: OpContext, is1D: Bool) throws(RuntimeError) -> PreparedOp {
        var params = try c.options(PoolParams.self)
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape
        let rank = is1D ? 3 : 4
        guard xs.count == rank else { throw c.fail("input must have rank \(rank), has \(xs)") }
        var k = PoolOp(params: params, planes: xs[0] * xs[1], inH: is1D ? 1 : xs[2], inW: xs[rank - 1])
        if params.global {
            try c.expectShape(out, is1D ? [xs[0], xs[1], 1] : [xs[0], xs[1], 1, 1], "output")
        } else {
            if is1D { params.kernelH = 1; params.strideH = 1; params.padTop = 0; params.padBottom = 0 }
            guard let oh = slidingOutput(k.inH, kernel: params.kernelH, stride: params.strideH, padBefore: params.padTop,
                                         padAfter: params.padBottom, dilation: 1),
                  let ow = slidingOutput(k.inW, kernel: params.kernelW, stride: params.strideW, padBefore: params.padLeft,
                                         padAfter: params.padRight, dilation: 1) else {
                throw c.fail("pooling window does not fit the \(k.inH)×\(k.inW) input")
            }
            guard params.padTop < params.kernelH, params.padLeft < params.kernelW,
                  params.padBottom < params.kernelH, params.padRight < params.kernelW else {
                throw c.fail("pooling padding must be smaller than the window")
            }
            k.outH = oh; k.outW = ow; k.params = params
            try c.expectShape(out, is1D ? [xs[0], xs[1], ow] : [xs[0], xs[1], oh, ow], "output")
        }
        return PreparedOp(c, inputs: [x], output: out, kernel: .pool(k))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if params.global {
            globalPool(op.read(0), planes: planes, spatial: inH * inW, max: params.kind == .max, op.write())
        } else {
            pool2d(op.read(0), planes: planes, inH: inH, inW: inW, outH: outH, outW: outW, params, op.write(), pool: ip.workers)
        }
    }
}
