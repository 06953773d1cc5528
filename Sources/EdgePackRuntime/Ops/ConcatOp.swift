import EdgePackFormat

public struct ConcatOptions: OperatorOptions {
    public static var tableType: UInt8 { 15 }
    public static var whenAbsent: ConcatOptions? { nil }
    public var axis: Int

    public init(axis: Int) { self.axis = axis }
    public init(decoding t: OptionsTable) throws(ModelError) { axis = try t.int(0, 0, "axis", in: -64...64) }
    public var fields: [OptionField?] { [.i32(Int32(axis))] }
}

/// Concat along one axis: for each of the `outer` slices before the axis, every input's block
/// of (its axis length × inner) values in input order. One input is a copy (torch.stack of one).
struct ConcatOp {
    var outer: Int
    /// Values each input contributes per outer slice.
    var blocks: [Int]

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(ConcatOptions.self)
        guard !c.op.inputs.isEmpty else { throw c.fail("needs at least one input") }
        var inputs: [Int] = []
        for slot in c.op.inputs.indices { inputs.append(try c.input(slot, .float32, "input \(slot)")) }
        let out = try c.output(.float32)
        let first = c.tensor(inputs[0]).shape
        guard let a = normalizedAxis(o.axis, rank: first.count) else { throw c.fail("axis \(o.axis) is outside rank \(first.count)") }
        var expected = first
        expected[a] = 0
        for t in inputs {
            let s = c.tensor(t).shape
            guard s.count == first.count, (0..<s.count).allSatisfy({ $0 == a || s[$0] == first[$0] }) else {
                throw c.fail("input \(s) does not match \(first) outside axis \(a)")
            }
            expected[a] += s[a]
        }
        try c.expectShape(out, expected, "output")
        let inner = first[(a + 1)...].reduce(1, *)
        return PreparedOp(c, inputs: inputs, output: out, kernel: .concat(ConcatOp(
            outer: first[..<a].reduce(1, *), blocks: inputs.map { c.tensor($0).shape[a] * inner })))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        var y = op.write()
        for s in 0..<outer {
            for (i, block) in blocks.enumerated() {
                y.update(from: op.read(i) + s * block, count: block)
                y += block
            }
        }
    }
}
