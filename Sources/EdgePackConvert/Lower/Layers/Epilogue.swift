import EdgePackFormat

/// What follows a convolution or dense layer and folds into its per-channel output: a
/// BatchNormalization, then a Relu, Clip or PRelu.
struct Epilogue {
    /// BatchNorm as y * scale + shift.
    var batchNorm: (scale: [Float], shift: [Float])? = nil
    var activation = FusedActivation()
    /// PReLU's slope: one value, or one per channel.
    var slope: [Float]? = nil
    /// Graph indices of the folded nodes, in graph order.
    var nodes: [Int] = []
    /// The value the layer writes once they are folded.
    var output: String
    /// Float parameters of the folded nodes (for the report).
    var parameters = 0
}

extension Emitter {
    /// Match step, part 1: follows layer `i`'s output through a sole BatchNormalization and then a
    /// sole Relu, Clip or PRelu consumer. `channelAxisIsOne` is false for dense layers with
    /// rank > 2 outputs, where BatchNorm's axis 1 is not the layer's output channel.
    func matchEpilogue(after i: Int, channels: Int, channelAxisIsOne: Bool) throws -> Epilogue {
        var e = Epilogue(output: g.nodes[i].outputs[0])
        func soleConsumer(_ v: String) -> Int? {
            guard !graphOutputs.contains(v), let c = consumers[v], c.count == 1, !done.contains(c[0]) else { return nil }
            return c[0]
        }
        if channelAxisIsOne, let j = soleConsumer(e.output), g.nodes[j].opType == "BatchNormalization",
           g.nodes[j].inputs.first == e.output, let (s, t) = try batchNormAffine(g.nodes[j]), s.count == channels {
            e.batchNorm = (s, t)
            e.nodes.append(j)
            e.output = g.nodes[j].outputs[0]
            e.parameters += 4 * channels
        }
        if let k = soleConsumer(e.output), g.nodes[k].inputs.first == e.output {
            let a = g.nodes[k]
            switch a.opType {
            case "Relu":
                e.activation = FusedActivation(kind: .relu)
            case "Clip":
                guard let (lo, hi) = clipBounds(a) else { return e }
                e.activation = FusedActivation(kind: .clip, clipMin: lo, clipMax: hi)
            case "PRelu":
                let outShape = try shape(e.output)
                guard let slope = constant(a.input(1)), let v = channelVector(slope, outShape),
                      v.count == 1 || v.count == channels, channelAxisIsOne || v.count == 1 || outShape.count == 2 else { return e }
                e.activation = FusedActivation(kind: .prelu)
                e.slope = v
                e.parameters += slope.count
            default:
                return e
            }
            e.nodes.append(k)
            e.output = a.outputs[0]
        }
        return e
    }
}
