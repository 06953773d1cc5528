import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

extension Emitter {
    /// MatMul of two run-time tensors (PointNet's input and feature transforms).
    func emitMatMulOfActivations(_ i: Int) throws {
        let n = g.nodes[i]
        let sa = try shape(n.inputs[0]), sb = try shape(n.inputs[1])
        let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
        guard sa.count >= 2, sb.count >= 2, batchB.isEmpty || batchB.reduce(1, *) == 1 || batchB == batchA,
              try shape(n.outputs[0]) == batchA + [sa[sa.count - 2], sb[sb.count - 1]] else {
            throw LowerError.unsupportedForm(node: n.label, detail: "MatMul of \(sa) and \(sb): the runtime multiplies [..., M, K] by [..., K, N] or [K, N] with equal batch dimensions")
        }
        let out = try activation(n.outputs[0])
        b.addOperator(.matmul, inputs: [try floatValue(n.inputs[0]), try floatValue(n.inputs[1])], outputs: [out], options: .none, name: n.name)
        try record(n, kernel: .float, reason: "product of two run-time tensors", input: n.inputs[0], output: n.outputs[0])
    }
}
