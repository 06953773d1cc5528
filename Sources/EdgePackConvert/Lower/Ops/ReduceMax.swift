import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

extension Emitter {
    /// ReduceMax over one axis; a following Add of a scalar constant (BiPointNet's pooling
    /// offset) becomes the operator's offset.
    func emitReduceMax(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let spec = try reductionAxes(n)
        guard spec.count == 1 else { throw LowerError.unsupportedForm(node: n.label, detail: "ReduceMax over \(spec.count) axes; one axis is supported") }
        let axis = try normalizedAxis(spec[0], rank: xs.count)
        let keep = try n.int("keepdims", default: 1) != 0
        var offset: Float = 0
        var outName = n.outputs[0]
        var fused: [Node] = []
        if !graphOutputs.contains(outName), let cs = consumers[outName], cs.count == 1, g.nodes[cs[0]].opType == "Add" {
            let add = g.nodes[cs[0]]
            let other = add.inputs[0] == outName ? add.inputs[1] : add.inputs[0]
            if let k = constant(other)?.floats, k.count == 1, try Broadcast.shape([try shape(outName), constant(other)!.shape]) == (try shape(outName)) {
                offset = k[0]; fused = [add]; done.insert(cs[0]); outName = add.outputs[0]
            }
        }
        let out = try activation(outName)
        b.addOperator(.reduceMax, inputs: [try floatValue(x)], outputs: [out], options: .reduceMax(axis: axis, keepDims: keep, offset: offset), name: n.name)
        try record(n, fused: fused, kernel: .float, reason: fused.isEmpty ? "max pooling over an axis" : "max pooling over an axis plus a constant offset",
                   input: x, output: outName)
    }
}
