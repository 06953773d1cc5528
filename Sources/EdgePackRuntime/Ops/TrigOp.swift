import EdgePackFormat

/// Elementwise sin or cos (ONNX Sin, Cos), of any float32 (EPMath.sincos(Float)).
struct TrigOp {
    var count: Int
    var cosine: Bool

    static func prepare(_ c: OpContext, cosine: Bool) throws(RuntimeError) -> PreparedOp {
        _ = try c.options(NoOptions.self)
        let (x, out) = try c.sameShapeFloat()
        return PreparedOp(c, inputs: [x], output: out, kernel: .trig(TrigOp(count: c.tensor(x).elementCount, cosine: cosine)))
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let x = op.read(0), y = op.write()
        if cosine {
            for i in 0..<count { y[i] = EPMath.cos(x[i]) }
        } else {
            for i in 0..<count { y[i] = EPMath.sin(x[i]) }
        }
    }
}
