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
        relu(ip.read(op.inputs[0]), count: count, ip.write(op.output))
    }
}
