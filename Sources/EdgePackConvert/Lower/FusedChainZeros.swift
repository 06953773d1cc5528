import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Whether a layer's folded sign chain can give exactly the threshold, evaluated as the runtime
/// evaluates it (SignChain over the written constants). ONNX's Sign maps that value to 0, a
/// bit-packed output can only say ±1, so FuseBitpackedOutputs leaves such a layer unfused: its
/// float result goes through SignPack, whose zero mask carries the 0 to the next layer.
extension FuseBitpackedOutputs {
    /// `post`: the ChannelAffine's scale and bias (or -1, -1). nil when a constant is unreadable.
    static func reachesThreshold(_ layer: ModelBuilder.Operator, _ fields: [OptionField?], post: [Int], threshold: Float,
                                 _ b: ModelBuilder) -> Bool? {
        guard layer.inputs.count >= 4, let scale = b.constantFloats(layer.inputs[2]), let bias = b.constantFloats(layer.inputs[3]) else { return nil }
        let ws = b.tensors[layer.inputs[1]].shape
        guard let channels = ws.first, channels > 0 else { return nil }
        let maxDot = ws.dropFirst().reduce(1, *)
        let activation = fusedActivation(layer.opcode, fields)
        var slope: [Float] = []
        if activation.kind == .prelu {
            guard layer.inputs.count > 4, layer.inputs[4] >= 0, let s = b.constantFloats(layer.inputs[4]) else { return nil }
            slope = s
        }
        let postScale = post[0] >= 0 ? b.constantFloats(post[0]) : nil, postBias = post[1] >= 0 ? b.constantFloats(post[1]) : nil
        return scale.withUnsafeBufferPointer { s in
            bias.withUnsafeBufferPointer { bb in
                slope.withUnsafeBufferPointer { sl in
                    (postScale ?? []).withUnsafeBufferPointer { ps in
                        (postBias ?? []).withUnsafeBufferPointer { pb in
                            let act = ChannelActivation(activation, slope: slope.isEmpty ? nil : sl.baseAddress, slopeCount: slope.count)
                            let chain = SignChain(EdgePackRuntime.OutputTransform(scale: s.baseAddress!, bias: bb.baseAddress!, activation: act),
                                                  postScale: postScale == nil ? nil : ps.baseAddress,
                                                  postBias: postBias == nil ? nil : pb.baseAddress, threshold: threshold)
                            return chain.reachesThreshold(channels: channels, maxDot: maxDot)
                        }
                    }
                }
            }
        }
    }

    /// The fused activation in a binary conv's (ConvOptions slots 9-11) or gemm's (slots 0-2) fields.
    static func fusedActivation(_ opcode: OpCode, _ fields: [OptionField?]) -> FusedActivation {
        var slots = fields, first = 0
        if opcode != .binaryGemm {
            guard case .table(let conv)? = fields.first else { return FusedActivation() }
            slots = conv; first = 9
        }
        func field(_ k: Int) -> OptionField? { first + k < slots.count ? slots[first + k] : nil }
        var a = FusedActivation()
        if case .i8(let raw)? = field(0), let kind = Activation(rawValue: raw) { a.kind = kind }
        if case .f32(let lo)? = field(1) { a.clipMin = lo }
        if case .f32(let hi)? = field(2) { a.clipMax = hi }
        return a
    }
}
