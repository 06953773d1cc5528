/// Straight-through binarizers, sign(x).detach() − p(x).detach() + p(x), export as
/// Add(Sub(Sign(x), p), p). Where `SurrogateAnalysis` shows the value is exactly sign(x) for every
/// float32 x (clip/hardtanh surrogates of BNN, DoReFa, XNOR++; Bi-Real's and ReActNet's
/// polynomial), the Add's readers read the Sign instead and the surrogate becomes dead.
/// A surrogate of another value (p(x + b) next to sign(x)) or one outside the checked forms is
/// left alone.
enum StraightThroughSign {
    static func run(_ g: inout Graph) -> RewriteNotes {
        var notes = RewriteNotes()
        let producers = g.producers()
        let graphOutputs = Set(g.outputs.map(\.name))
        var renamed: [String: String] = [:]
        for i in g.nodes.indices {
            let add = g.nodes[i]
            guard add.opType == "Add", add.domain.isEmpty, add.inputs.count == 2,
                  let (sign, x, p) = match(add, g, producers) else { continue }
            let analysis = SurrogateAnalysis(g: g, producers: producers, x: x)
            guard let result = analysis.check(p) else { continue }
            let signOut = g.nodes[sign].outputs[0]
            let caveat = result.overflowSelects ? "; the ONNX graph gives NaN where its x·x overflows (|x| ≥ 2^64)" : ""
            notes.note("straight-through binarizer sign(x) − p(x) + p(x), exactly sign(x) (\(result.regions) regions of x checked\(caveat))", output: signOut)
            if graphOutputs.contains(add.outputs[0]) {
                g.nodes[i] = Node(name: add.name, opType: "Sign", inputs: [x], outputs: add.outputs)
            } else {
                renamed[add.outputs[0]] = signOut
            }
        }
        guard !renamed.isEmpty else { return notes }
        for i in g.nodes.indices {
            g.nodes[i].inputs = g.nodes[i].inputs.map { renamed[$0] ?? $0 }
        }
        return notes
    }

    /// (Sign node, x, p) of Add(Sub(Sign(x), p), p) in either order of the Add's inputs.
    private static func match(_ add: Node, _ g: Graph, _ producers: [String: Int]) -> (Int, String, String)? {
        for (d, p) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
            guard let si = producers[d], g.nodes[si].opType == "Sub", g.nodes[si].domain.isEmpty,
                  let s = g.nodes[si].input(0), let p1 = g.nodes[si].input(1),
                  let sign = producers[s], g.nodes[sign].opType == "Sign", g.nodes[sign].domain.isEmpty,
                  let x = g.nodes[sign].input(0) else { continue }
            var budget = 10_000
            guard sameValue(p1, p, g, producers, budget: &budget) else { continue }
            return (sign, x, p)
        }
        return nil
    }

    /// True when two values are one value (through Identity), or computed by the same operators
    /// from the same inputs (an exporter may repeat the surrogate for its detached copy).
    /// `budget` bounds the comparisons, so that a graph of shared nodes cannot make it exponential.
    static func sameValue(_ a: String, _ b: String, _ g: Graph, _ producers: [String: Int], budget: inout Int) -> Bool {
        func source(_ v: String) -> String {
            var v = v
            for _ in 0..<64 {
                guard let i = producers[v], g.nodes[i].opType == "Identity", let u = g.nodes[i].input(0) else { break }
                v = u
            }
            return v
        }
        let a = source(a), b = source(b)
        if a == b { return true }
        if let ta = g.initializers[a], let tb = g.initializers[b] { return ta == tb }
        budget -= 1
        guard budget > 0, let i = producers[a], let j = producers[b] else { return false }
        let m = g.nodes[i], n = g.nodes[j]
        guard m.opType == n.opType, m.domain == n.domain, m.attributes == n.attributes, m.inputs.count == n.inputs.count,
              m.outputs.firstIndex(of: a) == n.outputs.firstIndex(of: b) else { return false }
        for (u, v) in zip(m.inputs, n.inputs) {
            guard sameValue(u, v, g, producers, budget: &budget) else { return false }
        }
        return true
    }
}
