import EdgePackFormat

public struct ChannelAffineOptions: OperatorOptions {
    public static var tableType: UInt8 { 6 }
    public static var whenAbsent: ChannelAffineOptions? { ChannelAffineOptions() }
    public init() {}
    public init(decoding t: OptionsTable) throws(ModelError) {}
    public var fields: [OptionField?] { [] }
}

/// x * scale[c] + bias[c] (folded BatchNorm) over axis 1.
struct ChannelAffineOp {
    var batch: Int
    var channels: Int
    var spatial: Int

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(ChannelAffineOptions.self)
        let x = try c.input(0, .float32, "input")
        let scale = try c.constant(1, .float32, "scale")
        let bias = try c.constant(2, .float32, "bias")
        let out = try c.output(.float32)
        try c.expectShape(out, c.tensor(x).shape, "output")
        let (n, ch, sp) = channelLayout(c.tensor(x).shape)
        try c.expectChannelVector(scale, ch, "scale")
        try c.expectChannelVector(bias, ch, "bias")
        return PreparedOp(c, inputs: [x, scale, bias], output: out,
                          kernel: .channelAffine(ChannelAffineOp(batch: n, channels: ch, spatial: sp)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        channelAffine(op.read(0), batch: batch, channels: channels, spatial: spatial,
                      scale: op.read(1), bias: op.read(2), op.write())
    }
}
