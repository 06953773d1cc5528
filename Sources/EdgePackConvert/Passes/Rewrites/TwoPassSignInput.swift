/// BiFSMNv2's two-threshold binarizer (LPB) feeds a layer with
///     b1 + K·b2 − t,   b1 = sign(y1), b2 = sign(y2) (y1, y2 computed in float from x),
/// K a run-time scale (mean |r| over the last axis) and t a constant per input channel. The layer
/// is linear, so it is computed as two binary passes over the same weights:
///     L(b1) + K·L(b2) − L(t)
/// where L(t) is a constant per output channel (summed here from the weights; a convolution
/// without padding sees t at every tap). K must leave the second pass's dot products
/// (`ScaledSignInput.factorsOut`: one value per row of a Linear, per sample of a convolution, or
/// per channel of a depthwise convolution); otherwise the layer keeps its float input.
/// The straight-through form of K·b2 differs from it by the idiom's rounding (≤ 2⁻²³·(|K| + 1)
/// per element), which this drops; the sums are otherwise reassociated.
/// Only for weights that will run binary (±α per output channel, or any with `--rebinarize`):
/// two float passes would cost twice the float layer.
enum TwoPassSignInput {
    static func run(_ g: inout Graph, notes: inout RewriteNotes, rebinarize: Bool) {
        var i = 0
        while i < g.nodes.count {
            defer { i += 1 }
            let layer = g.nodes[i]
            guard ["Conv", "Gemm", "MatMul"].contains(layer.opType), layer.domain.isEmpty, let v = layer.input(0),
                  let (b1, b2, k, t) = match(v, g), let outShape = g.info(layer.outputs[0])?.shape,
                  rebinarize || onePerOutput(layer, g),
                  var shift = constantTerm(layer, t, g, outShape: outShape) else { continue }
            var second = layer
            second.inputs[0] = b2
            guard ScaledSignInput.factorsOut(k, of: second, g, perChannel: true) else { continue }
            let out = layer.outputs[0]
            var first = layer
            first.inputs = [b1, layer.inputs[1]]
            second.inputs = [b2, layer.inputs[1]]
            first.outputs = [out + "/first_pass"]
            second.outputs = [out + "/second_pass"]
            let bias = layer.input(2)
            let shiftName = out + "/threshold_term"
            if let b = bias, let bt = g.initializers[b]?.floats, bt.count == shift.count {
                shift = zip(shift, bt).map { $1 - $0 }      // bias − L(t), one constant
            } else if bias != nil {
                continue
            } else {
                shift = shift.map { -$0 }
            }
            let channelShape = layer.opType == "Conv" ? [1, shift.count] + [Int](repeating: 1, count: outShape.count - 2) : [shift.count]
            g.initializers[shiftName] = Tensor(shape: channelShape, floats: shift)
            let added = [
                first, second,
                Node(name: layer.name + "/second_scale", opType: "Mul", inputs: [second.outputs[0], k], outputs: [out + "/second_scaled"]),
                Node(name: layer.name + "/sum", opType: "Add", inputs: [first.outputs[0], out + "/second_scaled"], outputs: [out + "/sum"]),
                Node(name: layer.name + "/threshold", opType: "Add", inputs: [out + "/sum", shiftName], outputs: [out]),
            ]
            g.nodes.replaceSubrange(i...i, with: added)
            notes.note("two-threshold input b1 + K·b2 − t (BiFSMNv2 LPB): first binary pass, on b1", output: first.outputs[0])
            notes.note("two-threshold input b1 + K·b2 − t (BiFSMNv2 LPB): second binary pass, on b2, times K", output: second.outputs[0])
            i += added.count - 1
        }
    }

    /// (b1 Sign output, b2 Sign output, K, t) when v = Sub(Add(Sign(y1), K·Sign(y2)), t), t constant.
    static func match(_ v: String, _ g: Graph) -> (String, String, String, Tensor)? {
        let producers = g.producers()
        guard let si = producers[v], g.nodes[si].opType == "Sub", g.nodes[si].domain.isEmpty,
              let u = g.nodes[si].input(0), let tn = g.nodes[si].input(1), let t = g.initializers[tn],
              let ai = producers[u], g.nodes[ai].opType == "Add", g.nodes[ai].domain.isEmpty, g.nodes[ai].inputs.count == 2 else { return nil }
        let add = g.nodes[ai]
        for (a, b) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
            guard let pa = producers[a], g.nodes[pa].opType == "Sign", g.nodes[pa].domain.isEmpty,
                  let (b2, k, _) = ScaledSignInput.match(b, g) else { continue }
            return (a, b2, k, t)
        }
        return nil
    }

    /// The weights have one magnitude per output channel (MatMul's [F, O] and Gemm's untransposed
    /// B hold an output per column).
    static func onePerOutput(_ layer: Node, _ g: Graph) -> Bool {
        guard let wn = layer.input(1), let w = g.initializers[wn], let v = w.floats, w.shape.count >= 2 else { return false }
        let byColumn = layer.opType == "MatMul" || (layer.opType == "Gemm" && ((try? layer.int("transB", default: 0)) ?? 1) == 0)
        guard byColumn else { return (try? BinaryWeights.scales(v, rows: w.shape[0]).get()) != nil }
        let (f, o) = (w.shape[0], w.shape[1])
        let columns = (0..<o).flatMap { j in (0..<f).map { v[$0 * o + j] } }
        return (try? BinaryWeights.scales(columns, rows: o).get()) != nil
    }

    /// L(t) per output channel: t broadcast over the layer's input, one value per input feature
    /// (channel), through the weights. nil for a convolution with padding (the term would vary at
    /// the borders) or a layout this does not read.
    static func constantTerm(_ layer: Node, _ t: Tensor, _ g: Graph, outShape: [Int]) -> [Float]? {
        guard let tv = t.floats, let wn = layer.input(1), let w = g.initializers[wn], let wv = w.floats else { return nil }
        func sum(_ terms: (Int) -> Double, _ n: Int) -> Float { Float((0..<n).reduce(0.0) { $0 + terms($1) }) }
        switch layer.opType {
        case "MatMul":
            guard w.shape.count == 2, tv.count == w.shape[0], t.shape.dropLast().allSatisfy({ $0 == 1 }) else { return nil }
            let (f, o) = (w.shape[0], w.shape[1])
            return (0..<o).map { j in sum({ Double(tv[$0]) * Double(wv[$0 * o + j]) }, f) }
        case "Gemm":
            let transA = (try? layer.int("transA", default: 0)) ?? 1, transB = (try? layer.int("transB", default: 0)) ?? -1
            let alpha = layer.attributes["alpha"].map { $0 == .float(1) } ?? true
            guard transA == 0, alpha, transB == 0 || transB == 1, w.shape.count == 2, t.shape.dropLast().allSatisfy({ $0 == 1 }) else { return nil }
            let (f, o) = transB == 1 ? (w.shape[1], w.shape[0]) : (w.shape[0], w.shape[1])
            guard tv.count == f else { return nil }
            return (0..<o).map { j in sum({ Double(tv[$0]) * Double(wv[transB == 1 ? j * f + $0 : $0 * o + j]) }, f) }
        default:
            let pads = ((try? layer.ints("pads")) ?? nil) ?? []
            let autoPad = layer.attributes["auto_pad"].map { $0 == .string("NOTSET") || $0 == .string("VALID") } ?? true
            let groups = Int(((try? layer.int("group", default: 1)) ?? 0))
            guard pads.allSatisfy({ $0 == 0 }), autoPad, groups >= 1, w.shape.count >= 3, outShape.count == w.shape.count else { return nil }
            let o = w.shape[0], cg = w.shape[1], taps = w.shape[2...].reduce(1, *)
            guard o % groups == 0, tv.count == cg * groups, t.shape.count == w.shape.count,
                  t.shape.enumerated().allSatisfy({ $0.offset == 1 || $0.element == 1 }) else { return nil }
            return (0..<o).map { j in
                let group = j / (o / groups)
                return sum({ Double(tv[group * cg + $0 / taps]) * Double(wv[(j * cg) * taps + $0]) }, cg * taps)
            }
        }
    }
}
