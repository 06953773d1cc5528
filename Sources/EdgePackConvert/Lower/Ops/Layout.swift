import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Reshape, Flatten, Squeeze, Unsqueeze and Transpose: same data, new shape or order.
extension Emitter {
    func emitReshape(_ i: Int) throws {
        let n = g.nodes[i]
        let out = try activation(n.outputs[0])
        b.addOperator(.reshape, inputs: [try floatValue(n.inputs[0])], outputs: [out], options: .reshape, name: n.name)
        try record(n, kernel: .layout, reason: "same data, new shape", input: n.inputs[0], output: n.outputs[0])
    }

    func emitTranspose(_ i: Int) throws {
        let n = g.nodes[i]
        let xs = try shape(n.inputs[0])
        let perm = try Evaluator.transposePerm(try n.ints("perm"), rank: xs.count)
        let out = try activation(n.outputs[0])
        b.addOperator(.transpose, inputs: [try floatValue(n.inputs[0])], outputs: [out], options: .transpose(perm: perm), name: n.name)
        try record(n, kernel: .layout, reason: "axis permutation", input: n.inputs[0], output: n.outputs[0])
    }
}
