import EdgePackFormat

extension Emitter {
    /// A Conv's attributes as the runtime's ConvParams, without the activation (the emit step
    /// sets the epilogue's); values outside the file format's range are an error.
    func convParams(_ n: Node, input xs: [Int], kernel: [Int]) throws -> ConvParams {
        let spatial = xs.count - 2
        let strides = try (n.ints("strides") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
        let dilations = try (n.ints("dilations") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
        var pads = try (n.ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)).map { Int(clamping: $0) }
        switch try n.string("auto_pad") ?? "NOTSET" {
        case "NOTSET": break
        case "VALID": pads = [Int](repeating: 0, count: 2 * spatial)
        case let mode:
            // SAME_*: total padding so that out = ceil(in / stride); the odd pixel goes last
            // (SAME_UPPER) or first (SAME_LOWER).
            for k in 0..<spatial {
                let out = (xs[k + 2] + strides[k] - 1) / strides[k]
                let total = max((out - 1) * strides[k] + (kernel[k] - 1) * dilations[k] + 1 - xs[k + 2], 0)
                let small = total / 2
                pads[k] = mode == "SAME_UPPER" ? small : total - small
                pads[k + spatial] = total - pads[k]
            }
        }
        // The file format's limits (checked again by the model reader).
        let limit = 1 << 16
        guard (strides + dilations).allSatisfy({ $0 >= 1 && $0 <= limit }), pads.allSatisfy({ $0 >= 0 && $0 <= limit }),
              try n.int("group", default: 1) <= Int64(limit) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "strides \(strides), dilations \(dilations) or pads \(pads) are outside 1...\(limit)")
        }
        for k in 0..<spatial where pads[k] >= (kernel[k] - 1) * dilations[k] + 1 {
            throw LowerError.unsupportedForm(node: n.label, detail: "leading padding \(pads[k]) reaches past the kernel (extent \((kernel[k] - 1) * dilations[k] + 1)); the runtime's convolutions need it smaller")
        }
        var p = ConvParams()
        p.groups = Int(clamping: try n.int("group", default: 1))
        if spatial == 2 {
            p.strideH = strides[0]; p.strideW = strides[1]
            p.dilationH = dilations[0]; p.dilationW = dilations[1]
            p.padTop = pads[0]; p.padLeft = pads[1]; p.padBottom = pads[2]; p.padRight = pads[3]
        } else {
            p.strideW = strides[0]; p.dilationW = dilations[0]; p.padLeft = pads[0]; p.padRight = pads[1]
        }
        return p
    }
}
