/// A Slice (or a chain of them) that keeps a range of channels (BiPointNet's x[:, :3, :]) and/or
/// every s-th position of spatial axes from 0 to the end (ResNet's option-A shortcut
/// x[:, :, ::2, ::2]), optionally followed by a zero Pad of the channel axis, becomes a 1×1 Conv
/// with stride s and a 0/1 weight: each output is 1·x plus zeros, exactly the selected value
/// (for finite inputs: an infinity in a dropped channel would meet a 0 weight).
enum StridedSliceToConv {
    static func run(_ g: inout Graph) throws -> RewriteNotes {
        var notes = RewriteNotes()
        var remove = Set<Int>()
        for i in g.nodes.indices where !remove.contains(i) {
            let s = g.nodes[i]
            guard s.opType == "Slice", s.domain.isEmpty, let x = s.input(0), let shape = g.info(x)?.shape,
                  shape.count == 3 || shape.count == 4, var sel = try selection(s, shape: shape, g) else { continue }
            let consumers = g.consumers()
            let graphOutputs = Set(g.outputs.map(\.name))
            var output = s.outputs[0]
            var absorbed: [Int] = []
            // Further slices of the same kind on the result (one per axis, as TorchScript exports).
            while !graphOutputs.contains(output), let c = consumers[output], c.count == 1, g.nodes[c[0]].opType == "Slice",
                  let inner = g.info(output)?.shape, inner.count == shape.count,
                  let more = try selection(g.nodes[c[0]], shape: inner, g) {
                for k in sel.stride.indices { sel.stride[k] *= more.stride[k] }
                sel.channels = (sel.channels.lowerBound + more.channels.lowerBound)..<(sel.channels.lowerBound + more.channels.upperBound)
                absorbed.append(c[0])
                output = g.nodes[c[0]].outputs[0]
            }
            var before = 0, after = 0
            if !graphOutputs.contains(output), let c = consumers[output], c.count == 1, g.nodes[c[0]].opType == "Pad",
               let amounts = try ZeroPad.amounts(g.nodes[c[0]], in: g),
               amounts.enumerated().allSatisfy({ $0.offset == 1 || $0.element == (0, 0) }) {
                before = amounts[1].0; after = amounts[1].1
                absorbed.append(c[0])
                output = g.nodes[c[0]].outputs[0]
            }
            let cin = shape[1], cout = before + sel.channels.count + after
            var w = [Float](repeating: 0, count: cout * cin)
            for c in sel.channels { w[(c - sel.channels.lowerBound + before) * cin + c] = 1 }
            let wName = "\(s.name.isEmpty ? output : s.name)/subsample_weight"
            let spatial = shape.count - 2
            g.initializers[wName] = Tensor(shape: [cout, cin] + [Int](repeating: 1, count: spatial), floats: w)
            let strided = sel.stride.contains { $0 > 1 }
            let why = sel.channels.count < cin ? "channel slice \(sel.channels.lowerBound)..<\(sel.channels.upperBound)\(strided ? " and strided subsample" : "") as an exact 1×1 convolution with a 0/1 weight"
                : before + after > 0 ? "strided subsample and zero channels (option-A shortcut) as an exact 1×1 convolution"
                : "strided subsample as an exact 1×1 convolution"
            g.nodes[i] = Node(name: s.name, opType: "Conv", inputs: [x, wName], outputs: [output],
                              attributes: ["strides": .ints(sel.stride.map(Int64.init)),
                                           "kernel_shape": .ints([Int64](repeating: 1, count: spatial))])
            notes.note(why, output: output)
            remove.formUnion(absorbed)
        }
        g.nodes = g.nodes.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        return notes
    }

    struct Selection {
        var stride: [Int]
        var channels: Range<Int>
    }

    /// What a Slice keeps: a range of channels, and every s-th position of spatial axes from 0
    /// to the end; nil for any other Slice or one that keeps everything.
    private static func selection(_ s: Node, shape: [Int], _ g: Graph) throws -> Selection? {
        guard s.opType == "Slice", let starts = s.input(1).flatMap({ g.initializers[$0]?.integers }),
              let ends = s.input(2).flatMap({ g.initializers[$0]?.integers }) else { return nil }
        let axes = try (s.input(3).flatMap { g.initializers[$0]?.integers } ?? (0..<Int64(starts.count)).map { $0 })
            .map { try normalizedAxis($0, rank: shape.count) }
        let steps = s.input(4).flatMap { g.initializers[$0]?.integers } ?? [Int64](repeating: 1, count: starts.count)
        guard axes.count == starts.count, ends.count == starts.count, steps.count == starts.count, Set(axes).count == axes.count else { return nil }
        var sel = Selection(stride: [Int](repeating: 1, count: shape.count - 2), channels: 0..<shape[1])
        for (j, a) in axes.enumerated() {
            let n = Int64(shape[a])
            func clamped(_ v: Int64) -> Int { Int(min(max(v < 0 ? v + n : v, 0), n)) }
            if a == 1 {
                guard steps[j] == 1 else { return nil }
                let lo = clamped(starts[j]), hi = clamped(ends[j])
                guard lo < hi else { return nil }
                sel.channels = lo..<hi
                continue
            }
            // The input of a later slice in a chain is smaller, but "to the end" stays "to the end".
            guard starts[j] == 0, ends[j] >= n || ends[j] == Int64.max, steps[j] >= 1 else { return nil }
            if a == 0 { guard steps[j] == 1 else { return nil } } else { sel.stride[a - 2] = Int(steps[j]) }
        }
        return sel.stride.contains(where: { $0 > 1 }) || sel.channels.count < shape[1] ? sel : nil
    }
}
