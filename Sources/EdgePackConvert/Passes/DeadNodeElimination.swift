/// Removes nodes none of whose outputs reach a graph output, and initializers no node reads.
public enum DeadNodeElimination {
    @discardableResult
    public static func run(_ g: inout Graph) -> (nodes: Int, initializers: Int) {
        var live = Set(g.outputs.map(\.name))
        var kept: [Node] = []
        for node in g.nodes.reversed() where node.outputs.contains(where: { live.contains($0) }) {
            kept.append(node)
            for i in node.inputs where !i.isEmpty { live.insert(i) }
        }
        let removedNodes = g.nodes.count - kept.count
        g.nodes = kept.reversed()
        let before = g.initializers.count
        g.initializers = g.initializers.filter { live.contains($0.key) }
        let inputs = Set(g.inputs.map(\.name))
        g.values = g.values.filter { live.contains($0.key) || inputs.contains($0.key) }
        return (removedNodes, before - g.initializers.count)
    }
}
