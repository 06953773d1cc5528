/// A layout-only operator (Reshape, Flatten, Squeeze, Unsqueeze, Transpose) of a Sign output
/// becomes the same operator on the Sign's input followed by a Sign: Sign is elementwise, so
/// both orders give the same values, and the layer reading the result sees Sign(x) directly
/// (`x.view(-1, D)` or `flatten` between a binarizer and a Linear).
enum SignThroughLayout {
    static let layoutOps: Set<String> = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose"]

    /// `notes` on the Sign's output carry over to the moved Sign.
    static func run(_ g: inout Graph, notes: inout RewriteNotes) {
        var i = 0
        while i < g.nodes.count {
            defer { i += 1 }
            let n = g.nodes[i]
            guard layoutOps.contains(n.opType), n.domain.isEmpty, let s = n.input(0),
                  let p = g.nodes[..<i].lastIndex(where: { $0.outputs.contains(s) }),
                  g.nodes[p].opType == "Sign", g.nodes[p].domain.isEmpty, let x = g.nodes[p].input(0) else { continue }
            let moved = n.outputs[0] + "/before_sign"
            var layout = n
            layout.inputs[0] = x
            layout.outputs = [moved]
            g.nodes[i] = layout
            g.nodes.insert(Node(name: n.name + "/sign", opType: "Sign", inputs: [moved], outputs: n.outputs), at: i + 1)
            if let why = notes[output: s] { notes.note(why, output: n.outputs[0]) }
            // The new Sign is visited next; a further layout op reading it moves in turn.
        }
    }
}
