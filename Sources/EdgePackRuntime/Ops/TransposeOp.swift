import EdgePackFormat

public struct TransposeOptions: OperatorOptions {
    public static var tableType: UInt8 { 13 }
    public static var whenAbsent: TransposeOptions? { nil }
    public var perm: [Int]

    public init(perm: [Int]) { self.perm = perm }
    public init(decoding t: OptionsTable) throws(ModelError) {
        perm = (try t.int32Vector(0, "perm") ?? []).map { Int($0) }
    }
    public var fields: [OptionField?] { [.i32Vector(perm.map { Int32($0) })] }
}

/// Transpose by a permutation of the input's axes.
struct TransposeOp {
    var shape: [Int]
    var perm: [Int]

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let perm = try c.options(TransposeOptions.self).perm
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.float32)
        let xs = c.tensor(x).shape
        guard perm.count == xs.count, perm.sorted() == Array(0..<xs.count) else {
            throw c.fail("perm \(perm) is not a permutation of rank \(xs.count)")
        }
        try c.expectShape(out, perm.map { xs[$0] }, "output")
        return PreparedOp(c, inputs: [x], output: out, kernel: .transpose(TransposeOp(shape: xs, perm: perm)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        transpose(op.read(0), shape: shape, perm: perm, op.write())
    }
}
