import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Softmax and LogSoftmax.
extension Emitter {
    func emitSoftmax(_ i: Int) throws {
        let n = g.nodes[i]
        let xs = try shape(n.inputs[0])
        let axis = try normalizedAxis(try n.int("axis", default: -1), rank: xs.count)
        let out = try activation(n.outputs[0])
        let log = n.opType == "LogSoftmax"
        b.addOperator(log ? .logSoftmax : .softmax, inputs: [try floatValue(n.inputs[0])], outputs: [out],
                      options: .softmax(axis: axis), name: n.name)
        try record(n, kernel: .float, reason: log ? "log-softmax" : "softmax", input: n.inputs[0], output: n.outputs[0])
    }
}
