import EdgePackFormat

/// AddOptions (Add, Sub, Mul): the fused activation, NONE or RELU.
public struct AddOptions: OperatorOptions {
    public static var tableType: UInt8 { 9 }
    public static var whenAbsent: AddOptions? { AddOptions() }
    public var activation: FusedActivation

    public init(activation: FusedActivation = FusedActivation()) { self.activation = activation }
    public init(decoding t: OptionsTable) throws(ModelError) {
        activation = try FusedActivation(decoding: t, kindSlot: 0, withClip: false)
    }
    public var fields: [OptionField?] { activation.fields(withClip: false) }
}

/// a + b, a - b, a * b, with b the same shape or a trailing-dimension broadcast (b's shape,
/// leading 1s dropped, equal to a's last dimensions).
struct ElementwiseOp {
    enum Function { case add, sub, mul }
    var function: Function
    var count: Int
    var bCount: Int
    var relu: Bool

    static func prepare(_ c: OpContext, _ function: Function) throws(RuntimeError) -> PreparedOp {
        let act = try c.options(AddOptions.self).activation
        let a = try c.input(0, .float32, "first input")
        let b = try c.input(1, .float32, "second input")
        let out = try c.output(.float32)
        let sa = c.tensor(a).shape
        var sb = c.tensor(b).shape
        while sb.count > 1 && sb[0] == 1 { sb.removeFirst() }
        guard sb.count <= sa.count, Array(sa[(sa.count - sb.count)...]) == sb else {
            throw c.fail("cannot broadcast \(c.tensor(b).shape) onto \(sa)")
        }
        guard act.kind == .none || act.kind == .relu else { throw c.fail("only ReLU can be fused into \(c.opcode.name)") }
        try c.expectShape(out, sa, "output")
        return PreparedOp(c, inputs: [a, b], output: out, kernel: .elementwise(ElementwiseOp(
            function: function, count: c.tensor(a).elementCount, bCount: c.tensor(b).elementCount, relu: act.kind == .relu)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let a = op.read(0), b = op.read(1), y = op.write()
        switch function {
        case .add: add(a, count: count, b, bCount: bCount, relu: relu, y)
        case .sub: sub(a, count: count, b, bCount: bCount, relu: relu, y)
        case .mul: mul(a, count: count, b, bCount: bCount, relu: relu, y)
        }
    }
}
