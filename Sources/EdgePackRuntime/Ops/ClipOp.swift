import EdgePackFormat

public struct ClipOptions: OperatorOptions {
    public static var tableType: UInt8 { 8 }
    public static var whenAbsent: ClipOptions? { nil }
    public var min: Float
    public var max: Float

    public init(min: Float, max: Float) { self.min = min; self.max = max }
    public init(decoding t: OptionsTable) throws(ModelError) {
        min = try t.bound(0, 0, "min", upper: false)
        max = try t.bound(1, 0, "max", upper: true)
        guard min <= max else { throw ModelError("\(t.path): clip range \(min)...\(max) is empty") }
    }
    public var fields: [OptionField?] { [.f32(min), .f32(max)] }
}

/// Clip to [min, max]: same shape in and out.
struct ClipOp {
    var count: Int
    var lo: Float
    var hi: Float

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(ClipOptions.self)
        let (x, out) = try c.sameShapeFloat()
        return PreparedOp(c, inputs: [x], output: out, kernel: .clip(ClipOp(count: c.tensor(x).elementCount, lo: o.min, hi: o.max)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        clip(op.read(0), count: count, lo: lo, hi: hi, op.write())
    }
}
