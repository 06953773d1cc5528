import EdgePackFormat

/// ReLU: same shape in and out, no options.
struct ReluOp {
    var count: Int

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(NoOptions.self)
        let (x, out) = try c.sameShapeFloat()
        return PreparedOp(c, inputs: [x], output: out, kernel: .relu(ReluOp(count: c.tensor(x).elementCount)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        relu(op.read(0), count: count, op.write())
    }
}
