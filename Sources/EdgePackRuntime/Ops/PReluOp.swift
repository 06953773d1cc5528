import EdgePackFormat

public struct PReluOptions: OperatorOptions {
    public static var tableType: UInt8 { 7 }
    public static var whenAbsent: PReluOptions? { PReluOptions() }
    public init() {}
    public init(decoding t: OptionsTable) throws(ModelError) {}
    public var fields: [OptionField?] { [] }
}

/// PReLU: inputs x, slope (per channel on axis 1, or one shared value).
struct PReluOp {
    var batch: Int
    var channels: Int
    var spatial: Int
    var slopeCount: Int

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(PReluOptions.self)
        let x = try c.input(0, .float32, "input")
        let slope = try c.constant(1, .float32, "slope")
        let out = try c.output(.float32)
        try c.expectShape(out, c.tensor(x).shape, "output")
        let (n, ch, sp) = channelLayout(c.tensor(x).shape)
        try c.expectChannelVector(slope, ch, "slope", allowScalar: true)
        return PreparedOp(c, inputs: [x, slope], output: out, kernel: .prelu(
            PReluOp(batch: n, channels: ch, spatial: sp, slopeCount: c.tensor(slope).elementCount)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        prelu(op.read(0), batch: batch, channels: channels, spatial: spatial,
              slope: op.read(1), slopeCount: slopeCount, op.write())
    }
}
