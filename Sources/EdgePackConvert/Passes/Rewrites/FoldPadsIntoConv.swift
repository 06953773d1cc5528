/// Zero Pad on spatial axes whose consumers are all Conv (directly, or through a Sign whose
/// consumers are all Conv) becomes part of those Convs' pads: sign(0) = 0, so padding before
/// or after Sign is the same zero padding a convolution applies. Keeps the graph's values exactly.
enum FoldPadsIntoConv {
    static func run(_ g: inout Graph) throws {
        var i = 0
        while i < g.nodes.count {
            defer { i += 1 }
            let pad = g.nodes[i]
            guard pad.opType == "Pad", pad.domain.isEmpty, let x = pad.input(0), let out = pad.outputs.first,
                  let amounts = try ZeroPad.amounts(pad, in: g), amounts.count >= 3,
                  amounts[0] == (0, 0), amounts[1] == (0, 0), !g.outputs.contains(where: { $0.name == out }) else { continue }
            let consumers = g.consumers()
            var convs: [Int] = []
            var signs: [Int] = []
            for c in consumers[out] ?? [] {
                let n = g.nodes[c]
                if n.opType == "Conv" && n.inputs.first == out { convs.append(c); continue }
                if n.opType == "Sign", let so = n.outputs.first, !g.outputs.contains(where: { $0.name == so }),
                   let sc = consumers[so], sc.allSatisfy({ g.nodes[$0].opType == "Conv" && g.nodes[$0].inputs.first == so }) {
                    signs.append(c); convs += sc; continue
                }
                convs = []; signs = []
                break
            }
            guard !convs.isEmpty, try convs.allSatisfy({ try (g.nodes[$0].string("auto_pad") ?? "NOTSET") == "NOTSET" }) else { continue }
            let spatial = amounts.count - 2
            // Only where the grown leading padding stays inside the kernel (a runtime limit);
            // other Pads become shift convolutions below.
            var fitsKernel = true
            for c in Set(convs) {
                guard let w = g.nodes[c].input(1).flatMap({ g.initializers[$0] }), w.rank == spatial + 2 else { fitsKernel = false; break }
                let p = try g.nodes[c].ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)
                let d = try g.nodes[c].ints("dilations") ?? [Int64](repeating: 1, count: spatial)
                guard p.count == 2 * spatial, d.count == spatial else { fitsKernel = false; break }
                for k in 0..<spatial {
                    let extent: Int64 = (Int64(w.shape[k + 2]) - 1) * d[k] + 1
                    if p[k] + Int64(amounts[k + 2].0) >= extent { fitsKernel = false }
                }
            }
            guard fitsKernel else { continue }
            for c in Set(convs) {
                var p = try g.nodes[c].ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)
                guard p.count == 2 * spatial else { continue }
                for k in 0..<spatial {
                    p[k] += Int64(amounts[k + 2].0)
                    p[k + spatial] += Int64(amounts[k + 2].1)
                }
                g.nodes[c].attributes["pads"] = .ints(p)
                if g.nodes[c].inputs.first == out { g.nodes[c].inputs[0] = x }
            }
            for s in signs { g.nodes[s].inputs[0] = x }
            g.nodes.remove(at: i)
            i -= 1
        }
    }
}
