import EdgePackFormat

/// SoftmaxOptions (Softmax, LogSoftmax).
public struct SoftmaxOptions: OperatorOptions {
    public static var tableType: UInt8 { 14 }
    public static var whenAbsent: SoftmaxOptions? { SoftmaxOptions(axis: -1) }
    public var axis: Int

    public init(axis: Int) { self.axis = axis }
    public init(decoding t: OptionsTable) throws(ModelError) { axis = try t.int(0, -1, "axis", in: -64...64) }
    public var fields: [OptionField?] { [.i32(Int32(axis))] }
}

/// Softmax or log-softmax over one axis.
struct SoftmaxOp {
    var outer: Int
    var axis: Int
    var inner: Int
    var log: Bool

    static func prepare(_ c: OpContext, log: Bool) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(SoftmaxOptions.self)
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape
        guard let a = normalizedAxis(o.axis, rank: xs.count) else { throw c.fail("axis \(o.axis) is outside rank \(xs.count)") }
        try c.expectShape(out, xs, "output")
        return PreparedOp(c, inputs: [x], output: out, kernel: .softmax(SoftmaxOp(
            outer: xs[..<a].reduce(1, *), axis: xs[a], inner: xs[(a + 1)...].reduce(1, *), log: log)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if log {
            logSoftmax(op.read(0), outer: outer, axis: axis, inner: inner, op.write())
        } else {
            softmax(op.read(0), outer: outer, axis: axis, inner: inner, op.write())
        }
    }
}
