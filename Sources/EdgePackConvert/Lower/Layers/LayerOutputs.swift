import EdgePackHost

/// What the emit steps of convolutions and dense layers share: the output transform's
/// constants and the report row.
extension Emitter {
    /// The kernel inputs after the weights: binary kernels take scale and bias (zeros when the
    /// layer has none), float kernels the bias (-1: none); then PReLU's slope, if any.
    func outputConstants(_ l: LayerOperands, _ t: OutputTransform, output: String, binary: Bool) -> [Int] {
        let n = l.node, channels = l.outputs
        var inputs: [Int]
        if binary {
            inputs = [b.addConstant(n.outputs[0] + "/scale", shape: [channels], floats: t.scale ?? [Float](repeating: 1, count: channels)),
                      b.addConstant(n.outputs[0] + "/bias", shape: [channels], floats: t.bias ?? [Float](repeating: 0, count: channels))]
        } else {
            inputs = [t.bias.map { b.addConstant(n.outputs[0] + "/bias", shape: [channels], floats: $0) } ?? -1]
        }
        if let slope = t.slope { inputs.append(b.addConstant(output + "/slope", shape: [slope.count], floats: slope)) }
        return inputs
    }

    /// The report row of a layer that stores `after` bytes; its epilogue's nodes are written with it.
    func recordLayer(_ l: LayerOperands, plan: LayerPlan, after: Int) throws {
        let e = plan.epilogue, weights = l.weights.count, bias = l.bias?.count ?? 0
        done.formUnion(e.nodes)
        let (kernel, reason): (LayerRecord.Kernel, String) = switch plan {
        case .binary(let p): (.binary, p.reason)
        case .float(let p): (.float, p.reason.description)
        }
        try record(l.node, fused: e.nodes.map { g.nodes[$0] }, kernel: kernel, reason: reason, input: l.input, output: e.output,
                   parameters: weights + bias, before: 4 * (weights + bias) + 4 * e.parameters, after: after)
        switch plan {
        case .binary(let p): records[records.count - 1].weightError = p.weightError
        case .float(let p): records[records.count - 1].rebinarizable = p.rebinarizable
        }
    }
}

extension OutputTransform {
    /// Bytes a binary layer stores: its packed weight words, a float scale and bias per channel, the slope.
    func binaryLayerBytes(packedWords: Int, channels: Int) -> Int { packedWords * 8 + 8 * channels + 4 * (slope?.count ?? 0) }

    /// Bytes a float layer stores: its float weights, bias and slope.
    func floatLayerBytes(weights: Int) -> Int { 4 * (weights + (bias?.count ?? 0) + (slope?.count ?? 0)) }
}
