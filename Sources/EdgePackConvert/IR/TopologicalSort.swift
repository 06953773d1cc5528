/// Orders nodes so each runs after the producers of its inputs (Kahn's algorithm, stable:
/// among ready nodes the earliest in the file goes first, so exporter order is kept when valid).
/// Checks that every input is defined exactly once and names the nodes of a cycle if any.
public func topologicallySorted(_ nodes: [Node], available: Set<String>, outputs: [String]) throws(GraphError) -> [Node] {
    var producer: [String: Int] = [:]
    for (i, n) in nodes.enumerated() {
        for o in n.outputs where !o.isEmpty {
            if available.contains(o) {
                throw .duplicateDefinition(value: o, first: "a graph input or initializer", second: n.label)
            }
            if let j = producer[o] { throw .duplicateDefinition(value: o, first: nodes[j].label, second: n.label) }
            producer[o] = i
        }
    }
    var pending = [Int](repeating: 0, count: nodes.count)
    var readers = [[Int]](repeating: [], count: nodes.count)
    for (i, n) in nodes.enumerated() {
        for v in Set(n.inputs) where !v.isEmpty {
            if let p = producer[v] {
                pending[i] += 1
                readers[p].append(i)
            } else if !available.contains(v) {
                throw .undefinedInput(node: n.label, input: v)
            }
        }
    }
    for o in outputs where producer[o] == nil && !available.contains(o) { throw .undefinedOutput(output: o) }

    // A min-heap would be O(n log n); graphs here have at most a few thousand nodes and the
    // ready set stays small, so a sorted insert is enough.
    var ready = (0..<nodes.count).filter { pending[$0] == 0 }
    var order: [Int] = []
    order.reserveCapacity(nodes.count)
    while !ready.isEmpty {
        let i = ready.removeFirst()
        order.append(i)
        for r in readers[i] {
            pending[r] -= 1
            if pending[r] == 0 {
                let at = ready.firstIndex { $0 > r } ?? ready.count
                ready.insert(r, at: at)
            }
        }
    }
    if order.count < nodes.count { throw .cycle(nodes: findCycle(nodes, producer: producer, blocked: pending)) }
    return order.map { nodes[$0] }
}

/// Among the nodes Kahn's algorithm could not schedule, follows producers backwards until a
/// node repeats: that loop is a cycle (every blocked node has a blocked producer).
private func findCycle(_ nodes: [Node], producer: [String: Int], blocked pending: [Int]) -> [String] {
    guard var at = pending.firstIndex(where: { $0 > 0 }) else { return [] }
    var seen: [Int: Int] = [:]
    var path: [Int] = []
    while seen[at] == nil {
        seen[at] = path.count
        path.append(at)
        guard let next = nodes[at].inputs.lazy.compactMap({ producer[$0] }).first(where: { pending[$0] > 0 }) else { break }
        at = next
    }
    let start = seen[at] ?? 0
    // Walking backwards lists consumers before producers; reverse to read in data-flow order.
    return path[start...].reversed().map { nodes[$0].label }
}
