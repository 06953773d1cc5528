/// Graph rewrites that bring exported patterns into the forms the runtime executes; each keeps
/// the graph's values exactly.
enum Rewrites {
    /// Zero Pad on spatial axes whose consumers are all Conv (directly, or through a Sign whose
    /// consumers are all Conv) becomes part of those Convs' pads: sign(0) = 0, so padding
    /// before or after Sign is the same zero padding a convolution applies.
    static func foldPadsIntoConv(_ g: inout Graph) throws {
        var i = 0
        while i < g.nodes.count {
            defer { i += 1 }
            let pad = g.nodes[i]
            guard pad.opType == "Pad", pad.domain.isEmpty, let x = pad.input(0), let out = pad.outputs.first,
                  let amounts = try zeroPadAmounts(pad, g), amounts.count >= 3,
                  amounts[0] == (0, 0), amounts[1] == (0, 0), !g.outputs.contains(where: { $0.name == out }) else { continue }
            let consumers = g.consumers()
            var convs: [Int] = []
            var signs: [Int] = []
            for c in consumers[out] ?? [] {
                let n = g.nodes[c]
                if n.opType == "Conv" && n.inputs.first == out { convs.append(c); continue }
                if n.opType == "Sign", let so = n.outputs.first, !g.outputs.contains(where: { $0.name == so }),
                   let sc = consumers[so], sc.allSatisfy({ g.nodes[$0].opType == "Conv" && g.nodes[$0].inputs.first == so }) {
                    signs.append(c); convs += sc; continue
                }
                convs = []; signs = []
                break
            }
            guard !convs.isEmpty, try convs.allSatisfy({ try (g.nodes[$0].string("auto_pad") ?? "NOTSET") == "NOTSET" }) else { continue }
            let spatial = amounts.count - 2
            // Only where the grown leading padding stays inside the kernel (a runtime limit);
            // other Pads become shift convolutions below.
            var fitsKernel = true
            for c in Set(convs) {
                guard let w = g.nodes[c].input(1).flatMap({ g.initializers[$0] }), w.rank == spatial + 2 else { fitsKernel = false; break }
                let p = try g.nodes[c].ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)
                let d = try g.nodes[c].ints("dilations") ?? [Int64](repeating: 1, count: spatial)
                guard p.count == 2 * spatial, d.count == spatial else { fitsKernel = false; break }
                for k in 0..<spatial {
                    let extent: Int64 = (Int64(w.shape[k + 2]) - 1) * d[k] + 1
                    if p[k] + Int64(amounts[k + 2].0) >= extent { fitsKernel = false }
                }
            }
            guard fitsKernel else { continue }
            for c in Set(convs) {
                var p = try g.nodes[c].ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)
                guard p.count == 2 * spatial else { continue }
                for k in 0..<spatial {
                    p[k] += Int64(amounts[k + 2].0)
                    p[k + spatial] += Int64(amounts[k + 2].1)
                }
                g.nodes[c].attributes["pads"] = .ints(p)
                if g.nodes[c].inputs.first == out { g.nodes[c].inputs[0] = x }
            }
            for s in signs { g.nodes[s].inputs[0] = x }
            g.nodes.remove(at: i)
            i -= 1
        }
    }

    /// Any other zero Pad of spatial axes becomes a depthwise convolution whose kernel is 1 at
    /// its first tap and 0 elsewhere: with kernel L+1, left padding L and right padding R+L, output
    /// j reads padded input j, i.e. x[j - L] or a padding zero — exact, since the other taps add
    /// 0·x. (The runtime requires the leading padding to be smaller than the kernel.)
    static func padsAsDepthwiseConv(_ g: inout Graph) throws {
        for i in g.nodes.indices {
            let pad = g.nodes[i]
            guard pad.opType == "Pad", pad.domain.isEmpty, let x = pad.input(0), let xs = g.info(x)?.shape,
                  xs.count == 3 || xs.count == 4, let amounts = try zeroPadAmounts(pad, g),
                  amounts[0] == (0, 0), amounts[1] == (0, 0) else { continue }
            let spatial = Array(amounts[2...])
            let kernel = spatial.map { $0.0 + 1 }
            let c = xs[1], taps = kernel.reduce(1, *)
            var w = [Float](repeating: 0, count: c * taps)
            for ch in 0..<c { w[ch * taps] = 1 }
            let wName = "\(pad.name.isEmpty ? pad.outputs[0] : pad.name)/shift_weight"
            g.initializers[wName] = Tensor(shape: [c, 1] + kernel, floats: w)
            let pads = spatial.map { Int64($0.0) } + spatial.map { Int64($0.1 + $0.0) }
            g.nodes[i] = Node(name: pad.name, opType: "Conv", inputs: [x, wName], outputs: [pad.outputs[0]],
                              attributes: ["group": .int(Int64(c)), "pads": .ints(pads),
                                           "kernel_shape": .ints(kernel.map(Int64.init)),
                                           reasonAttribute: .string("zero padding as a depthwise convolution with a one-hot kernel (exact)")])
        }
    }

    /// (before, after) per axis of a Pad that inserts zeros (mode constant, value 0), or nil.
    static func zeroPadAmounts(_ pad: Node, _ g: Graph) throws -> [(Int, Int)]? {
        guard (try pad.string("mode") ?? "constant") == "constant", let x = pad.input(0),
              let rank = g.info(x)?.shape?.count else { return nil }
        let spec: [Int64]
        if let name = pad.input(1) {
            guard let v = g.initializers[name]?.integers else { return nil }
            spec = v
        } else {
            guard let v = try pad.ints("pads") else { return nil }
            spec = v
        }
        if let c = pad.input(2) {
            guard let t = g.initializers[c], t.count == 1, t.floats?.first == 0 || t.integers?.first == 0 else { return nil }
        }
        var axes = Array(0..<rank)
        if let a = pad.input(3) {
            guard let v = g.initializers[a]?.integers else { return nil }
            axes = try v.map { try normalizedAxis($0, rank: rank) }
        }
        guard spec.count == 2 * axes.count, spec.allSatisfy({ $0 >= 0 }) else { return nil }
        var out = [(Int, Int)](repeating: (0, 0), count: rank)
        for (j, k) in axes.enumerated() { out[k] = (Int(spec[j]), Int(spec[j + axes.count])) }
        return out
    }

    /// A Slice (or a chain of them) that keeps every s-th position of spatial axes from 0 to the
    /// end (ResNet's option-A shortcut x[:, :, ::2, ::2]), optionally followed by a zero Pad of
    /// the channel axis, becomes a 1×1 Conv with stride s and a 0/1 weight: each output is
    /// 1·x plus zeros, exactly the selected value.
    static func stridedSliceToConv(_ g: inout Graph) throws {
        var remove = Set<Int>()
        for i in g.nodes.indices where !remove.contains(i) {
            let s = g.nodes[i]
            guard s.opType == "Slice", s.domain.isEmpty, let x = s.input(0), let shape = g.info(x)?.shape,
                  shape.count == 3 || shape.count == 4, var stride = try subsampleStrides(s, shape: shape, g) else { continue }
            let consumers = g.consumers()
            let graphOutputs = Set(g.outputs.map(\.name))
            var output = s.outputs[0]
            var absorbed: [Int] = []
            // Further slices of the same kind on the result (one per axis, as TorchScript exports).
            while !graphOutputs.contains(output), let c = consumers[output], c.count == 1, g.nodes[c[0]].opType == "Slice",
                  let more = try subsampleStrides(g.nodes[c[0]], shape: shape, g) {
                for k in stride.indices { stride[k] *= more[k] }
                absorbed.append(c[0])
                output = g.nodes[c[0]].outputs[0]
            }
            var before = 0, after = 0
            if !graphOutputs.contains(output), let c = consumers[output], c.count == 1, g.nodes[c[0]].opType == "Pad",
               let amounts = try zeroPadAmounts(g.nodes[c[0]], g),
               amounts.enumerated().allSatisfy({ $0.offset == 1 || $0.element == (0, 0) }) {
                before = amounts[1].0; after = amounts[1].1
                absorbed.append(c[0])
                output = g.nodes[c[0]].outputs[0]
            }
            let cin = shape[1], cout = before + cin + after
            var w = [Float](repeating: 0, count: cout * cin)
            for c in 0..<cin { w[(c + before) * cin + c] = 1 }
            let wName = "\(s.name.isEmpty ? output : s.name)/subsample_weight"
            let spatial = shape.count - 2
            g.initializers[wName] = Tensor(shape: [cout, cin] + [Int](repeating: 1, count: spatial), floats: w)
            let why = cout > cin ? "strided subsample and zero channels (option-A shortcut) as an exact 1×1 convolution"
                                 : "strided subsample as an exact 1×1 convolution"
            g.nodes[i] = Node(name: s.name, opType: "Conv", inputs: [x, wName], outputs: [output],
                              attributes: ["strides": .ints(stride.map(Int64.init)),
                                           "kernel_shape": .ints([Int64](repeating: 1, count: spatial)),
                                           reasonAttribute: .string(why)])
            remove.formUnion(absorbed)
        }
        g.nodes = g.nodes.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
    }

    /// Marks nodes made by a rewrite with the reason the report gives for them.
    static let reasonAttribute = "edgepack.reason"

    /// Strides per spatial axis of a Slice that only subsamples them from 0 to the end.
    private static func subsampleStrides(_ s: Node, shape: [Int], _ g: Graph) throws -> [Int]? {
        guard s.opType == "Slice", let starts = s.input(1).flatMap({ g.initializers[$0]?.integers }),
              let ends = s.input(2).flatMap({ g.initializers[$0]?.integers }) else { return nil }
        let axes = try (s.input(3).flatMap { g.initializers[$0]?.integers } ?? (0..<Int64(starts.count)).map { $0 })
            .map { try normalizedAxis($0, rank: shape.count) }
        let steps = s.input(4).flatMap { g.initializers[$0]?.integers } ?? [Int64](repeating: 1, count: starts.count)
        guard axes.count == starts.count, ends.count == starts.count, steps.count == starts.count else { return nil }
        var stride = [Int](repeating: 1, count: shape.count - 2)
        for (j, a) in axes.enumerated() {
            // The input of a later slice in a chain is smaller, but "to the end" stays "to the end".
            guard starts[j] == 0, ends[j] >= Int64(shape[a]) || ends[j] == Int64.max, steps[j] >= 1 else { return nil }
            if a < 2 { guard steps[j] == 1 else { return nil } } else { stride[a - 2] = Int(steps[j]) }
        }
        return stride.contains(where: { $0 > 1 }) ? stride : nil
    }
}
