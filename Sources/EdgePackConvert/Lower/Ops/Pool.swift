import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool.
extension Emitter {
    func emitPool(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        guard xs.count == 3 || xs.count == 4 else { throw LowerError.unsupportedForm(node: n.label, detail: "pooling of a rank-\(xs.count) tensor") }
        let is1D = xs.count == 3
        var p = PoolParams()
        p.kind = n.opType.contains("Max") ? .max : .average
        if n.opType.hasPrefix("Global") {
            p.global = true
        } else {
            guard let k = try n.ints("kernel_shape")?.map({ Int(clamping: $0) }) else { throw LowerError.unsupportedForm(node: n.label, detail: "no kernel_shape") }
            guard try (n.ints("dilations") ?? []).allSatisfy({ $0 == 1 }) else { throw LowerError.unsupportedForm(node: n.label, detail: "dilated pooling") }
            guard (try n.string("auto_pad") ?? "NOTSET") == "NOTSET" else { throw LowerError.unsupportedForm(node: n.label, detail: "auto_pad pooling") }
            let spatial = xs.count - 2
            let s = try (n.ints("strides") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
            var pads = try (n.ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)).map { Int(clamping: $0) }
            // ceil_mode: extend the end padding until the floor-mode size equals ONNX's size.
            let expected = try shape(n.outputs[0])
            for d in 0..<spatial {
                while (xs[d + 2] + pads[d] + pads[d + spatial] - k[d]) / s[d] + 1 < expected[d + 2] { pads[d + spatial] += 1 }
            }
            guard (0..<(2 * spatial)).allSatisfy({ pads[$0] < k[$0 % spatial] }) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "pads \(pads) must be smaller than the window \(k)")
            }
            guard (k + s).allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }), pads.allSatisfy({ $0 >= 0 && $0 < 1 << 16 }) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "kernel \(k), strides \(s) or pads \(pads) are outside the format's range")
            }
            p.countIncludePad = try n.int("count_include_pad", default: 0) != 0
            let ceilMode = try n.int("ceil_mode", default: 0) != 0
            if p.countIncludePad && p.kind == .average && ceilMode {
                throw LowerError.unsupportedForm(node: n.label, detail: "ceil_mode with count_include_pad")
            }
            if is1D {
                p.kernelW = k[0]; p.strideW = s[0]; p.padLeft = pads[0]; p.padRight = pads[1]
            } else {
                p.kernelH = k[0]; p.kernelW = k[1]; p.strideH = s[0]; p.strideW = s[1]
                p.padTop = pads[0]; p.padLeft = pads[1]; p.padBottom = pads[2]; p.padRight = pads[3]
            }
        }
        let out = try activation(n.outputs[0])
        b.addOperator(is1D ? .pool1d : .pool2d, inputs: [try floatValue(x)], outputs: [out], options: .pool(p), name: n.name)
        try record(n, kernel: .float, reason: "pooling", input: x, output: n.outputs[0])
    }
}
