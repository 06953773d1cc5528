import EdgePackFormat

/// Float sign, ONNX semantics: -1, 0 or +1.
struct SignOp {
    var count: Int

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(NoOptions.self)
        let (x, out) = try c.sameShapeFloat()
        return PreparedOp(c, inputs: [x], output: out, kernel: .sign(SignOp(count: c.tensor(x).elementCount)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        sign(op.read(0), count: count, op.write())
    }
}
