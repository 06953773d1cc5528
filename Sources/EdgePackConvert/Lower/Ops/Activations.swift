import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Relu, Clip and PRelu that did not fold into a layer.
extension Emitter {
    func emitActivation(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        switch n.opType {
        case "Relu":
            let out = try activation(n.outputs[0])
            b.addOperator(.relu, inputs: [try floatValue(x)], outputs: [out], options: .none, name: n.name)
        case "Clip":
            guard let (lo, hi) = clipBounds(n) else { throw LowerError.unsupportedForm(node: n.label, detail: "Clip bounds must be constant scalars, min <= max, neither NaN") }
            let out = try activation(n.outputs[0])
            b.addOperator(.clip, inputs: [try floatValue(x)], outputs: [out], options: .clip(min: lo, max: hi), name: n.name)
        default:
            guard let t = constant(n.input(1)), let slope = channelVector(t, try shape(x)) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "PRelu slope must be a constant per channel (axis 1) or a scalar")
            }
            let st = b.addConstant(n.outputs[0] + "/slope", shape: [slope.count], floats: slope)
            let out = try activation(n.outputs[0])
            b.addOperator(.prelu, inputs: [try floatValue(x), st], outputs: [out], options: .prelu, name: n.name)
            try record(n, kernel: .float, reason: "activation", input: x, output: n.outputs[0], parameters: slope.count,
                       before: 4 * t.count, after: 4 * slope.count)
            return
        }
        try record(n, kernel: .float, reason: "activation", input: x, output: n.outputs[0])
    }
}
