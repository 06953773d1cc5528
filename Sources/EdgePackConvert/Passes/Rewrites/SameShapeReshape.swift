/// A Reshape to the shape its input already has is the identity (TorchScript writes one for
/// `autograd.Function`s returning a tensor of the same view, e.g. between a binarizer's Sign and
/// its straight-through Sub): it becomes an Identity and is removed.
enum SameShapeReshape {
    static func run(_ g: inout Graph) {
        var changed = false
        for i in g.nodes.indices {
            let n = g.nodes[i]
            guard n.opType == "Reshape", n.domain.isEmpty, n.outputs.count == 1, let x = n.input(0),
                  let xs = g.info(x)?.shape, let ys = g.info(n.outputs[0])?.shape, xs == ys else { continue }
            g.nodes[i] = Node(name: n.name, opType: "Identity", inputs: [x], outputs: n.outputs)
            changed = true
        }
        if changed { IdentityElimination.run(&g) }
    }
}
