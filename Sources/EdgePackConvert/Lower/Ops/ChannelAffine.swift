import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// BatchNormalization, and arithmetic with a per-channel constant, as the runtime's channel affine.
extension Emitter {
    /// y = x * scale[c] + bias[c] on axis 1.
    func channelAffine(_ n: Node, input x: String, scale: [Float], bias: [Float], output: String, reason: String, before: Int) throws {
        let c = try shape(x).count >= 2 ? try shape(x)[1] : 1
        func full(_ v: [Float]) -> [Float] { v.count == 1 ? [Float](repeating: v[0], count: c) : v }
        guard full(scale).count == c, full(bias).count == c else {
            throw LowerError.unsupportedForm(node: n.label, detail: "per-channel constants of \(scale.count) values for \(c) channels")
        }
        let s = b.addConstant(output + "/scale", shape: [c], floats: full(scale))
        let t = b.addConstant(output + "/bias", shape: [c], floats: full(bias))
        let out = try activation(output)
        b.addOperator(.channelAffine, inputs: [try floatValue(x), s, t], outputs: [out], options: .channelAffine, name: n.name)
        try record(n, kernel: .float, reason: reason, input: x, output: output, parameters: scale.count + bias.count,
                   before: before, after: 8 * c)
    }

    func emitBatchNorm(_ i: Int) throws {
        let n = g.nodes[i]
        guard let (s, t) = try batchNormAffine(n) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "BatchNormalization parameters must be constants")
        }
        try channelAffine(n, input: n.inputs[0], scale: s, bias: t, output: n.outputs[0],
                          reason: "BatchNorm as a per-channel affine", before: 16 * s.count)
    }
}
