/// Any other zero Pad of spatial axes becomes a depthwise convolution whose kernel is 1 at its
/// first tap and 0 elsewhere: with kernel L+1, left padding L and right padding R+L, output j
/// reads padded input j, i.e. x[j - L] or a padding zero — exact, since the other taps add 0·x.
/// (The runtime requires the leading padding to be smaller than the kernel.)
enum PadsAsDepthwiseConv {
    static func run(_ g: inout Graph) throws -> RewriteNotes {
        var notes = RewriteNotes()
        for i in g.nodes.indices {
            let pad = g.nodes[i]
            guard pad.opType == "Pad", pad.domain.isEmpty, let x = pad.input(0), let xs = g.info(x)?.shape,
                  xs.count == 3 || xs.count == 4, let amounts = try ZeroPad.amounts(pad, in: g),
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
                                           "kernel_shape": .ints(kernel.map(Int64.init))])
            notes.note("zero padding as a depthwise convolution with a one-hot kernel (exact)", output: pad.outputs[0])
        }
        return notes
    }
}
