/// Weight quantizers written with the straight-through idiom, v.detach() − p.detach() + p
/// (DoReFa, XNOR, Bi-Real, ReActNet: v = α·sign(w), p = clip(w)), export as Add(Sub(v, p), p) on
/// constants. Its forward value is v, but float32 gives fl(fl(v − p) + p), which misses v by a
/// rounding or two, so folded as written the weights are ±α per output channel only to within an
/// ulp and the layer would stay float. Where both v and p are constants, the readers read v.
///
/// The change is bounded by the arithmetic, and checked on the folded values, not assumed: with
/// u = 2⁻²⁴, fl(v − p) = (v − p)(1 + δ₁) and the sum adds a second rounding, so
/// |fl(fl(v − p) + p) − v| ≤ u·|v − p| + u·|v| (+ u²…) ≤ 2u·(|v| + |p|), element by element.
/// An Add whose folded values break that bound is left as the graph writes it.
enum WeightStraightThrough {
    struct Change: Equatable {
        /// The weight value the readers now read.
        var value: String
        /// max |graph − v| / max |v| over the tensor.
        var relativeChange: Double
    }

    static func run(_ g: inout Graph) throws -> [Change] {
        let producers = g.producers()
        var candidates: [(add: Int, v: String, p: String)] = []
        for i in g.nodes.indices {
            let add = g.nodes[i]
            guard add.opType == "Add", add.domain.isEmpty, add.inputs.count == 2, add.outputs.count == 1,
                  let (v, p) = match(add, g, producers) else { continue }
            candidates.append((i, v, p))
        }
        guard !candidates.isEmpty else { return [] }

        // Fold a copy with every candidate's pieces kept, to compare the values.
        var h = g
        let kept = candidates.flatMap { [$0.v, $0.p, g.nodes[$0.add].outputs[0]] }
        h.outputs += kept.map { GraphValue(name: $0, info: ValueInfo()) }
        _ = try ConstantFolding.run(&h)

        var renamed: [String: String] = [:]
        var changes: [Change] = []
        let graphOutputs = Set(g.outputs.map(\.name))
        for c in candidates {
            let o = g.nodes[c.add].outputs[0]
            guard !graphOutputs.contains(o),
                  let v = h.initializers[c.v], let p = h.initializers[c.p], let s = h.initializers[o],
                  v.shape == s.shape, p.shape == s.shape,
                  let vf = v.floats, let pf = p.floats, let sf = s.floats,
                  let change = boundedChange(v: vf, p: pf, graph: sf) else { continue }
            renamed[o] = c.v
            changes.append(Change(value: c.v, relativeChange: change))
        }
        guard !renamed.isEmpty else { return [] }
        for i in g.nodes.indices {
            g.nodes[i].inputs = g.nodes[i].inputs.map { renamed[$0] ?? $0 }
        }
        return changes
    }

    /// (v, p) of Add(Sub(v, p), p), either order of the Add's inputs; v not a Sign (an activation
    /// binarizer is `StraightThroughSign`'s, exact with no bound needed).
    private static func match(_ add: Node, _ g: Graph, _ producers: [String: Int]) -> (String, String)? {
        for (d, p) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
            guard let si = producers[d], g.nodes[si].opType == "Sub", g.nodes[si].domain.isEmpty,
                  let v = g.nodes[si].input(0), let p1 = g.nodes[si].input(1), v != p else { continue }
            if let vi = producers[v], g.nodes[vi].opType == "Sign" { continue }
            var budget = 10_000
            guard StraightThroughSign.sameValue(p1, p, g, producers, budget: &budget) else { continue }
            return (v, p)
        }
        return nil
    }

    /// max |graph − v| / max |v| when every element is within the rounding bound, else nil.
    static func boundedChange(v: [Float], p: [Float], graph: [Float]) -> Double? {
        let u = 0x1p-24
        var worst = 0.0, scale = 0.0
        for i in v.indices {
            let a = Double(v[i]), b = Double(p[i]), s = Double(graph[i])
            guard a.isFinite, b.isFinite, s.isFinite, abs(s - a) <= 2 * u * (abs(a) + abs(b)) else { return nil }
            worst = max(worst, abs(s - a))
            scale = max(scale, abs(a))
        }
        return scale > 0 ? worst / scale : 0
    }
}
