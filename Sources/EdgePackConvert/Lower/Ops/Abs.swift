import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

extension Emitter {
    /// |x| = x · sign(x), exact (the product with ±1 or 0 rounds nothing).
    func emitAbs(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let s = b.addActivation(n.outputs[0] + "/sign", shape: xs)
        b.addOperator(.sign, inputs: [try floatValue(x)], outputs: [s], options: .none, name: n.name + "/sign")
        let out = try activation(n.outputs[0])
        b.addOperator(.mul, inputs: [try floatValue(x), s], outputs: [out], options: .add(FusedActivation()), name: n.name)
        try record(n, kernel: .float, reason: "|x| as x·sign(x) (exact)", input: x, output: n.outputs[0])
    }
}
