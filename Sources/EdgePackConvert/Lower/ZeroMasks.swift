import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// ONNX's Sign(0) = 0, as zero padding: over the written graph, every SignPack that a binary
/// layer reads also writes its zero mask (bit set where the input equals the threshold), and
/// the layer reads it at input 7 and drops those terms, only when one is set at run time.
/// Runs after FuseBitpackedOutputs; a fused layer's bits need none (it is fused only where its
/// chain never gives exactly the threshold).
public enum ZeroMasks {
    /// How many SignPacks write a zero mask.
    @discardableResult
    public static func run(_ b: ModelBuilder) -> Int {
        var ops = b.operators
        var writer: [Int: Int] = [:]
        for (k, op) in ops.enumerated() { for o in op.outputs { writer[o] = k } }
        var masks: [Int: Int] = [:]
        for k in ops.indices where ops[k].opcode.isBinary {
            guard let s = writer[ops[k].inputs[0]], ops[s].opcode == .signPack else { continue }
            let mask: Int
            if let m = masks[s] {
                mask = m
            } else {
                let bits = b.tensors[ops[s].outputs[0]]
                mask = b.addActivation(bits.name + "/zeros", shape: bits.shape, dtype: .bit)
                ops[s].outputs.append(mask)
                masks[s] = mask
            }
            var inputs = ops[k].inputs
            while inputs.count < 7 { inputs.append(-1) }
            ops[k].inputs = Array(inputs.prefix(7)) + [mask]
        }
        b.replaceOperators(ops)
        return masks.count
    }
}
