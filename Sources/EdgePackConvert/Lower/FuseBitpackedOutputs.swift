import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Larq Compute Engine's "bitpacked output", over the written graph: a binary conv (groups 1)
/// or dense layer whose float result only feeds a SignPack, directly or through one
/// ChannelAffine, writes the sign bits itself. The affine and the threshold become the layer's
/// inputs 5-6 and options; the runtime turns the chain into one integer comparison per channel.
/// Not fused: a float result anything else reads (a residual Add, a graph output), and a chain
/// that gives exactly the threshold at some dot product (ONNX's Sign is 0 there; FusedChainZeros).
public enum FuseBitpackedOutputs {
    /// How many layers were fused, and how many were not because their chain reaches the threshold.
    @discardableResult
    public static func run(_ b: ModelBuilder) -> (fused: Int, reachingZero: Int) {
        var ops = b.operators
        var readers = [[Int]](repeating: [], count: b.tensors.count)
        for (k, op) in ops.enumerated() { for t in Set(op.inputs) where t >= 0 { readers[t].append(k) } }
        let graphOutputs = Set(b.outputs)
        /// The one operator reading `t`, when nothing else (not even the graph's outputs) does.
        func soleReader(_ t: Int) -> Int? {
            readers[t].count == 1 && !graphOutputs.contains(t) ? readers[t][0] : nil
        }
        var removed = Set<Int>()
        var fused = 0, reachingZero = 0
        for k in ops.indices {
            let layer = ops[k]
            guard let fields = layer.optionFields, let slot = bitpackedSlot(layer, fields),
                  let next = soleReader(layer.outputs[0]) else { continue }
            var sign = next, post = [-1, -1]
            if ops[next].opcode == .channelAffine {
                guard ops[next].inputs.count == 3, ops[next].inputs[1...2].allSatisfy({ b.tensors[$0].buffer >= 0 }),
                      let s = soleReader(ops[next].outputs[0]) else { continue }
                post = Array(ops[next].inputs[1...2])
                sign = s
            }
            guard ops[sign].opcode == .signPack, let threshold = signPackThreshold(ops[sign], layer.opcode, b) else { continue }
            guard reachesThreshold(layer, fields, post: post, threshold: threshold, b) == false else {
                reachingZero += 1
                continue
            }
            var options = fields
            while options.count < slot { options.append(nil) }
            options = Array(options.prefix(slot)) + Optional(BitpackedOutput(threshold: threshold)).fields()
            var inputs = layer.inputs
            while inputs.count < 5 { inputs.append(-1) }
            ops[k].inputs = inputs + post
            ops[k].outputs = ops[sign].outputs
            ops[k].optionFields = options
            removed.insert(sign)
            if sign != next { removed.insert(next) }
            fused += 1
        }
        b.replaceOperators(ops.enumerated().filter { !removed.contains($0.offset) }.map(\.element))
        return (fused, reachingZero)
    }

    /// Where bitpacked_output goes in this layer's options; nil when it cannot have one.
    static func bitpackedSlot(_ op: ModelBuilder.Operator, _ fields: [OptionField?]) -> Int? {
        switch op.opcode {
        case .binaryConv2d, .binaryConv1d:
            // groups (ConvOptions slot 8) must be 1: depthwise layers keep float outputs.
            guard case .table(let conv)? = fields.first, conv.count <= 8 || conv[8] == nil || conv[8] == .i32(1) else { return nil }
            return BinaryConvOptions.bitpackedSlot
        case .binaryGemm: return BinaryGemmOptions.bitpackedSlot
        default: return nil
        }
    }

    /// The SignPack's threshold when its layout is the layer's packed output: channels-last
    /// after a convolution, rows after a dense layer of rank-2 output (where the ChannelAffine's
    /// axis 1 is the feature axis).
    static func signPackThreshold(_ op: ModelBuilder.Operator, _ layer: OpCode, _ b: ModelBuilder) -> Float? {
        let fields = op.optionFields ?? []
        let channelsLast = fields.first.flatMap { $0 } == .bool(true)
        let threshold: Float
        switch fields.count > 1 ? fields[1] : nil {
        case .f32(let t)?: threshold = t
        case nil: threshold = 0
        default: return nil
        }
        switch layer {
        case .binaryGemm: return !channelsLast && b.tensors[op.inputs[0]].shape.count == 2 ? threshold : nil
        default: return channelsLast ? threshold : nil
        }
    }
}
