import EdgePackFormat

public struct ReduceMaxOptions: OperatorOptions {
    public static var tableType: UInt8 { 11 }
    public static var whenAbsent: ReduceMaxOptions? { ReduceMaxOptions(axis: 0, keepDims: false, offset: 0) }
    public var axis: Int
    public var keepDims: Bool
    /// Added to the maximum (BiPointNet's pooling offset, e.g. -3.2041 for 1024 points).
    public var offset: Float

    public init(axis: Int, keepDims: Bool, offset: Float) { self.axis = axis; self.keepDims = keepDims; self.offset = offset }
    public init(decoding t: OptionsTable) throws(ModelError) {
        axis = try t.int(0, 0, "axis", in: -64...64)
        keepDims = try t.bool(1, false)
        offset = try t.finite(2, 0, "offset")
    }
    public var fields: [OptionField?] { [.i32(Int32(axis)), .bool(keepDims), .f32(offset)] }
}

/// Max over one axis plus a constant offset.
struct ReduceMaxOp {
    var outer: Int
    var axis: Int
    var inner: Int
    var offset: Float

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(ReduceMaxOptions.self)
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape
        guard let a = normalizedAxis(o.axis, rank: xs.count) else { throw c.fail("axis \(o.axis) is outside rank \(xs.count)") }
        var expected = xs
        if o.keepDims { expected[a] = 1 } else { expected.remove(at: a) }
        if expected.isEmpty { expected = [1] }
        guard c.tensor(out).shape == expected || c.tensor(out).elementCount == expected.reduce(1, *) && !o.keepDims else {
            throw c.fail("output has shape \(c.tensor(out).shape), expected \(expected)")
        }
        return PreparedOp(c, inputs: [x], output: out, kernel: .reduceMax(ReduceMaxOp(
            outer: xs[..<a].reduce(1, *), axis: xs[a], inner: xs[(a + 1)...].reduce(1, *), offset: o.offset)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        reduceMax(op.read(0), outer: outer, axis: axis, inner: inner, offset: offset, op.write())
    }
}
