/// Pads that insert zeros, the only kind the rewrites turn into convolutions.
enum ZeroPad {
    /// (before, after) per axis of a Pad that inserts zeros (mode constant, value 0), or nil.
    static func amounts(_ pad: Node, in g: Graph) throws -> [(Int, Int)]? {
        guard (try pad.string("mode") ?? "constant") == "constant", let x = pad.input(0),
              let rank = g.info(x)?.shape?.count else { return nil }
        let spec: [Int64]
        if let name = pad.input(1) {
            guard let v = g.initializers[name]?.integers else { return nil }
            spec = v
        } else {
            guard let v = try pad.ints("pads") else { return nil }
            spec = v
        }
        if let c = pad.input(2) {
            guard let t = g.initializers[c], t.count == 1, t.floats?.first == 0 || t.integers?.first == 0 else { return nil }
        }
        var axes = Array(0..<rank)
        if let a = pad.input(3) {
            guard let v = g.initializers[a]?.integers else { return nil }
            axes = try v.map { try normalizedAxis($0, rank: rank) }
        }
        guard spec.count == 2 * axes.count, spec.allSatisfy({ $0 >= 0 }) else { return nil }
        var out = [(Int, Int)](repeating: (0, 0), count: rank)
        for (j, k) in axes.enumerated() { out[k] = (Int(spec[j]), Int(spec[j + axes.count])) }
        return out
    }
}
