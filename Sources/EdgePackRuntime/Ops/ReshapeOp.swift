import EdgePackFormat

public struct ReshapeOptions: OperatorOptions {
    public static var tableType: UInt8 { 12 }
    public static var whenAbsent: ReshapeOptions? { ReshapeOptions() }
    public init() {}
    public init(decoding t: OptionsTable) throws(ModelError) {}
    public var fields: [OptionField?] { [] }
}

/// Reshape (also Flatten/Squeeze/Unsqueeze after conversion): the same elements under the
/// output tensor's shape.
struct ReshapeOp {
    var count: Int

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(ReshapeOptions.self)
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.float32)
        try c.expectCount(out, c.tensor(x).elementCount, "output")
        return PreparedOp(c, inputs: [x], output: out, kernel: .reshape(ReshapeOp(count: c.tensor(x).elementCount)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        op.write().update(from: op.read(0), count: count)
    }
}
