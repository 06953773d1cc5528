import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

extension Emitter {
    /// Sin and Cos (BiBench FDA's noise adaptation adds 0.1·sin(x)): the runtime's SIN/COS.
    func emitTrig(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        b.addOperator(n.opType == "Sin" ? .sin : .cos, inputs: [try floatValue(x)], outputs: [try activation(n.outputs[0])], options: .none, name: n.name)
        try record(n, kernel: .float, reason: "elementwise \(n.opType.lowercased()), any float32 (x mod π/2 from the bits of 2/π)", input: x, output: n.outputs[0])
    }
}
