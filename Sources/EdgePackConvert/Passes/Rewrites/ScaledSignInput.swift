/// A layer whose input is sign(x) times a run-time scale K that is constant along everything the
/// layer sums over (XNOR's activation scale: K = mean|x| per sample for a convolution, per row
/// for a Linear) computes K · layer(sign(x)): the layer reads the Sign and runs binary, and its
/// result is multiplied by K (then the bias is added). Two input forms:
///   Mul(Sign(x), K)                               (XNOR's Linear) — the same products, summed
///                                                  in another order;
///   Add(Sub(Mul(K, Sign(x)), p), p), p a straight-through surrogate of x (|p| ≤ 1, see
///   `SurrogateAnalysis`)                          (XNOR's convolution) — the graph's value misses
///                                                  K·sign(x) by at most 2⁻²³·(|K| + 1) per
///                                                  element (two roundings, see
///                                                  `WeightStraightThrough`); the layer gets the
///                                                  exact K·sign(x).
/// Zero padding stays exact: K·0 = 0.
enum ScaledSignInput {
    static func run(_ g: inout Graph, notes: inout RewriteNotes) {
        var i = 0
        while i < g.nodes.count {
            defer { i += 1 }
            let layer = g.nodes[i]
            guard ["Conv", "Gemm", "MatMul"].contains(layer.opType), layer.domain.isEmpty, let input = layer.input(0),
                  let (sign, k, straightThrough) = match(input, g), factorsOut(k, of: layer, g),
                  let outShape = g.info(layer.outputs[0])?.shape else { continue }
            var bias: String? = nil
            var binary = layer
            binary.inputs[0] = sign
            binary.outputs = [layer.outputs[0] + "/unscaled"]
            if layer.opType == "Conv", let b = layer.input(2), let t = g.initializers[b] {
                let reshaped = b + "/per_channel"
                var r = t
                r.shape = [1, t.shape.reduce(1, *)] + [Int](repeating: 1, count: max(outShape.count - 2, 0))
                g.initializers[reshaped] = r
                bias = reshaped
                binary.inputs = Array(binary.inputs.prefix(2))
            } else if layer.opType == "Gemm", let c = layer.input(2) {
                bias = c
                binary.inputs = Array(binary.inputs.prefix(2))
            } else if layer.input(2) != nil {
                continue
            }
            let scaled = bias == nil ? layer.outputs[0] : layer.outputs[0] + "/scaled"
            var added = [binary, Node(name: layer.name + "/scale", opType: "Mul", inputs: [binary.outputs[0], k], outputs: [scaled])]
            if let bias { added.append(Node(name: layer.name + "/bias", opType: "Add", inputs: [scaled, bias], outputs: layer.outputs)) }
            g.nodes.replaceSubrange(i...i, with: added)
            notes.note(straightThrough
                ? "input K·sign(x) − p + p (a run-time scale K, straight-through): binary layer times K; the idiom's float32 rounding (≤ 2⁻²³·(|K| + 1) per input) is dropped"
                : "input sign(x)·K (a run-time scale K): binary layer times K", output: binary.outputs[0])
            i += added.count - 1
        }
    }

    /// (Sign output, K, straight-through form?) when `v` is sign(x)·K in one of the two forms.
    static func match(_ v: String, _ g: Graph) -> (String, String, Bool)? {
        let producers = g.producers()
        func signTimes(_ m: String) -> (String, String, String)? {
            guard let mi = producers[m], g.nodes[mi].opType == "Mul", g.nodes[mi].domain.isEmpty, g.nodes[mi].inputs.count == 2 else { return nil }
            for (s, k) in [(g.nodes[mi].inputs[0], g.nodes[mi].inputs[1]), (g.nodes[mi].inputs[1], g.nodes[mi].inputs[0])] {
                if let si = producers[s], g.nodes[si].opType == "Sign", g.nodes[si].domain.isEmpty, let x = g.nodes[si].input(0),
                   g.initializers[k] == nil { return (s, k, x) }
            }
            return nil
        }
        if let (s, k, _) = signTimes(v) { return (s, k, false) }
        guard let ai = producers[v], g.nodes[ai].opType == "Add", g.nodes[ai].domain.isEmpty, g.nodes[ai].inputs.count == 2 else { return nil }
        let add = g.nodes[ai]
        for (d, p) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
            guard let di = producers[d], g.nodes[di].opType == "Sub", g.nodes[di].domain.isEmpty,
                  let m = g.nodes[di].input(0), let p1 = g.nodes[di].input(1), let (s, k, x) = signTimes(m) else { continue }
            var budget = 10_000
            guard StraightThroughSign.sameValue(p1, p, g, producers, budget: &budget),
                  SurrogateAnalysis(g: g, producers: producers, x: x).check(p) != nil else { continue }
            return (s, k, true)
        }
        return nil
    }

    /// K is 1 along every axis the layer sums over and along its output channels, and has the
    /// layer input's rank: a convolution's [N, 1, …, 1]; a Gemm's or MatMul's [..., 1] (per row).
    /// With `perChannel`, a depthwise convolution (one input channel per output channel) also
    /// takes K = [N, C, 1, …, 1]: each output channel's sum reads one channel, one K.
    static func factorsOut(_ k: String, of layer: Node, _ g: Graph, perChannel: Bool = false) -> Bool {
        guard let ks = g.info(k)?.shape, let xs = layer.input(0).flatMap({ g.info($0)?.shape }), ks.count == xs.count,
              let w = layer.input(1), g.initializers[w] != nil else { return false }
        switch layer.opType {
        case "Conv":
            guard ks.count >= 3, ks[0] == xs[0], ks.dropFirst(2).allSatisfy({ $0 == 1 }) else { return false }
            if ks[1] == 1 { return true }
            let groups = (try? layer.int("group", default: 1)) ?? 0
            let outChannels = g.initializers[w]?.shape.first
            return perChannel && ks[1] == xs[1] && groups == Int64(xs[1]) && outChannels == xs[1]
        case "Gemm":
            let transA = (try? layer.int("transA", default: 0)) ?? 1
            let beta = layer.attributes["beta"].map { $0 == .float(1) } ?? true
            return transA == 0 && beta && ks == [xs[0], 1]
        default:
            return ks.last == 1 && Array(ks.dropLast()) == Array(xs.dropLast())
        }
    }
}
