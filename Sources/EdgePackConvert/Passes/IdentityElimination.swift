/// Removes Identity (and inference-mode Dropout) nodes by reading their input directly.
/// When the node's output is a graph output, the producer is renamed to keep that name.
public enum IdentityElimination {
    @discardableResult
    public static func run(_ g: inout Graph) -> Int {
        let graphOutputs = Set(g.outputs.map(\.name))
        var removed = 0
        var i = 0
        while i < g.nodes.count {
            let n = g.nodes[i]
            let isPassThrough = n.domain.isEmpty && (n.opType == "Identity" || n.opType == "Dropout")
                && n.outputs.count >= 1 && n.outputs.dropFirst().allSatisfy { $0.isEmpty || !isUsed($0, g) }
            guard isPassThrough, let src = n.input(0), let dst = n.outputs.first else { i += 1; continue }
            var from = dst, to = src
            if graphOutputs.contains(dst) {
                // Keep the graph output's name: rename the source instead, when that is safe.
                guard !graphOutputs.contains(src), !g.inputs.contains(where: { $0.name == src }), g.initializers[src] == nil else { i += 1; continue }
                from = src; to = dst
            }
            g.nodes.remove(at: i)
            rename(from, to, in: &g)
            removed += 1
        }
        return removed
    }

    private static func isUsed(_ v: String, _ g: Graph) -> Bool {
        g.outputs.contains { $0.name == v } || g.nodes.contains { $0.inputs.contains(v) }
    }

    private static func rename(_ from: String, _ to: String, in g: inout Graph) {
        for k in g.nodes.indices {
            g.nodes[k].inputs = g.nodes[k].inputs.map { $0 == from ? to : $0 }
            g.nodes[k].outputs = g.nodes[k].outputs.map { $0 == from ? to : $0 }
        }
        if let v = g.values.removeValue(forKey: from) { g.values[to] = v }
    }
}
