import EdgePackFormat

/// BinaryConvOptions: the convolution window and the packed input's channel count.
public struct BinaryConvOptions: OperatorOptions {
    public static var tableType: UInt8 { 2 }
    public static var whenAbsent: BinaryConvOptions? { nil }
    public var conv: ConvParams
    public var inputChannels: Int
    public var bitpacked: BitpackedOutput?
    /// Slot of bitpacked_output (output_threshold follows).
    public static let bitpackedSlot = 2

    public init(conv: ConvParams, inputChannels: Int, bitpacked: BitpackedOutput? = nil) {
        self.conv = conv; self.inputChannels = inputChannels; self.bitpacked = bitpacked
    }

    public init(decoding t: OptionsTable) throws(ModelError) {
        guard let c = try t.table(0, "conv") else { throw ModelError("\(t.path).conv is missing") }
        conv = try ConvParams(decoding: c)
        inputChannels = try t.int(1, 0, "input_channels", in: 1...(1 << 20))
        bitpacked = try BitpackedOutput(decoding: t, slot: Self.bitpackedSlot)
    }

    public var fields: [OptionField?] { [.table(conv.fields), .i32(Int32(inputChannels))] + bitpacked.fields() }
}

/// Binary Conv1D / Conv2D. Inputs: packed activation [N, (H,) W, C], packed weight
/// [Cout, (KH,) KW, C] (groups 1) or [(KH,) KW, C] (depthwise), scale [Cout], bias [Cout],
/// PReLU slope (when fused). Output float [N, Cout, (OH,) OW].
/// With bitpacked_output: the same inputs, then the PReLU slope (or -1) and the optional
/// post affine; output BIT [N, (OH,) OW, Cout] packed on Cout.
struct BinaryConvOp {
    var geometry: ConvGeometry
    var words: Int
    var activation: FusedActivation
    var plan: BConvPlan
    var signOutput: PreparedSignOutput?

    static func prepare(_ c: OpContext, is1D: Bool) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(BinaryConvOptions.self)
        let p = o.conv, cin = o.inputChannels
        let x = try c.input(0, .bit, "packed input")
        let w = try c.constant(1, .bit, "packed weight")
        let zeros = try c.zeroMaskInput(x: x)
        let xs = c.tensor(x).shape, ws = c.tensor(w).shape
        let rank = is1D ? 3 : 4
        guard xs.count == rank else { throw c.fail("packed input must have rank \(rank), has \(xs)") }
        guard xs[rank - 1] == cin else { throw c.fail("packed input has \(xs[rank - 1]) channels, options say \(cin)") }
        let depthwise = p.groups > 1
        if depthwise {
            guard p.groups == cin, ws.count == rank - 1, ws[rank - 2] == cin else {
                throw c.fail("depthwise weight must be [\(is1D ? "K" : "KH, KW"), \(cin)] with groups = \(cin), has \(ws), groups \(p.groups)")
            }
        } else {
            guard ws.count == rank, ws[rank - 1] == cin else {
                throw c.fail("weight must be [Cout, \(is1D ? "K" : "KH, KW"), \(cin)], has \(ws)")
            }
        }
        let outChannels = depthwise ? cin : ws[0]
        let kh = is1D ? 1 : (depthwise ? ws[0] : ws[1])
        let kw = depthwise ? ws[rank - 3] : ws[rank - 2]
        let g = try c.convGeometry(p, is1D: is1D, batch: xs[0], channels: cin, inH: is1D ? 1 : xs[1], inW: xs[rank - 2],
                                   outChannels: outChannels, kernelH: kh, kernelW: kw)
        guard g.taps <= 64 else { throw c.fail("binary kernels support at most 64 taps, this one has \(g.taps)") }
        let words = (cin + 63) / 64
        let packed = c.model.constantData(w).bindMemory(to: UInt64.self)
        let plan = BConvPlan(g, weights: depthwise ? nil : packed.baseAddress, words: words)
        if let b = o.bitpacked {
            guard !depthwise else { throw c.fail("bit-packed output needs groups = 1, has \(p.groups)") }
            let floatShape = c.convOutputShape(g, is1D: is1D)
            let (inputs, out, signs) = try c.bitpackedOutput(b, x: x, w: w, activation: p.activation, channels: outChannels,
                                                            maxDot: g.taps * cin, outShape: [floatShape[0]] + floatShape[2...] + [outChannels])
            var prepared = PreparedOp(c, inputs: withZeroMask(inputs, zeros), output: out, kernel: .binaryConv(
                BinaryConvOp(geometry: g, words: words, activation: p.activation, plan: plan, signOutput: signs)))
            prepared.scratchSizes = BinaryConvOp.scratchSizes(g, words: words, zeros: zeros != nil)
            return prepared
        }
        let out = try c.output(.float32)
        let (scale, bias) = try c.outputTransformInputs(outChannels)
        try c.expectShape(out, c.convOutputShape(g, is1D: is1D), "output")
        let inputs = withZeroMask(try c.withSlope([x, w, scale, bias], p.activation, slot: 4, channels: outChannels), zeros)
        if depthwise {
            return PreparedOp(c, inputs: inputs, output: out, kernel: .binaryDepthwiseConv(
                BinaryDepthwiseConvOp(geometry: g, words: words, activation: p.activation, plan: plan)))
        }
        var prepared = PreparedOp(c, inputs: inputs, output: out, kernel: .binaryConv(
            BinaryConvOp(geometry: g, words: words, activation: p.activation, plan: plan, signOutput: nil)))
        prepared.scratchSizes = BinaryConvOp.scratchSizes(g, words: words, zeros: zeros != nil)
        return prepared
    }

    /// im2col words and xor counts, then (with a zero mask) the zero correction's buffers.
    static func scratchSizes(_ g: ConvGeometry, words: Int, zeros: Bool) -> [Int] {
        [g.isPointwise ? 0 : g.outSpatial * g.taps * words * 8, g.outSpatial * g.outChannels * 4]
            + (zeros ? ZeroScratch.bytes(rows: g.outSpatial, rowWords: g.taps * words, n: g.outChannels) : [])
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if let zeros = op.zerosPresent(words: geometry.batch * geometry.inSpatial * words) {
            runWithZeros(op, ip, zeros)
        } else if let signOutput {
            bconv2d(op.readWords(0), op.readWords(1), words: words, geometry, plan, .packed(signOutput.signs, op.writeWords()),
                    cols: op.scratch(0, as: UInt64.self), counts: op.scratch(1, as: Int32.self), pool: ip.workers)
        } else {
            bconv2d(op.readWords(0), op.readWords(1), words: words, geometry, plan, .float(ip.transform(op, activation), op.write()),
                    cols: op.scratch(0, as: UInt64.self), counts: op.scratch(1, as: Int32.self), pool: ip.workers)
        }
    }

    /// The input holds exact zeros: the same layer with their terms taken out.
    func runWithZeros(_ op: PreparedOp, _ ip: Interpreter, _ zeros: UnsafePointer<UInt64>) {
        let cols = op.scratch(0, as: UInt64.self), counts = op.scratch(1, as: Int32.self), z = op.zeroScratch(from: 2)
        if let signOutput {
            bconv2dPackedZeros(op.readWords(0), zeros: zeros, op.readWords(1), words: words, geometry, plan, signOutput.signs,
                               cols: cols, counts: counts, z, op.writeWords())
        } else {
            bconv2dZeros(op.readWords(0), zeros: zeros, op.readWords(1), words: words, geometry, plan, ip.transform(op, activation),
                         cols: cols, counts: counts, z, op.write())
        }
    }
}
