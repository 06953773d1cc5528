/// ReduceMean over the channel and every spatial axis (XNOR's activation scale K = mean|x| over
/// (C, H, W)) becomes a mean over the spatial axes (kept: a global average pool) and then a mean
/// over the channels: equal-sized groups, so the same mean in exact arithmetic; the float32 sums
/// run in another order than onnxruntime's (about one rounding per stage).
enum MeanOverTrailingAxes {
    static func run(_ g: inout Graph) throws {
        // Backwards: replacing node i by two leaves the indices before it as they were.
        for i in g.nodes.indices.reversed() {
            let n = g.nodes[i]
            guard n.opType == "ReduceMean", n.domain.isEmpty, let x = n.input(0), let xs = g.info(x)?.shape, xs.count >= 3 else { continue }
            let given = try (n.input(1).flatMap { g.initializers[$0]?.integers } ?? n.ints("axes")) ?? []
            let axes = Set(given.map { Int($0) < 0 ? Int($0) + xs.count : Int($0) })
            guard axes == Set(1..<xs.count) else { continue }
            let pooled = n.outputs[0] + "/spatial_mean"
            var spatial = Node(name: n.name + "/spatial", opType: "ReduceMean", inputs: [x], outputs: [pooled], attributes: ["keepdims": .int(1)])
            var channels = Node(name: n.name, opType: "ReduceMean", inputs: [pooled], outputs: n.outputs, attributes: n.attributes)
            channels.attributes["axes"] = nil
            if g.opset >= 18 {
                let spatialAxes = n.outputs[0] + "/spatial_axes", channelAxis = n.outputs[0] + "/channel_axis"
                g.initializers[spatialAxes] = Tensor(shape: [xs.count - 2], int64s: (2..<xs.count).map(Int64.init))
                g.initializers[channelAxis] = Tensor(shape: [1], int64s: [1])
                spatial.inputs.append(spatialAxes)
                channels.inputs = [pooled, channelAxis]
            } else {
                spatial.attributes["axes"] = .ints((2..<xs.count).map(Int64.init))
                channels.attributes["axes"] = .ints([1])
            }
            g.nodes.replaceSubrange(i...i, with: [spatial, channels])
        }
    }
}
