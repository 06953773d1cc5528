import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Sign outputs are written where they are read: bit-packed for binary kernels, as floats for
/// float ones (each form once per value).
extension Emitter {
    /// Sign(x) bit-packed for binary kernels: channels last for convolutions ([N, spatial..., C]),
    /// along the last axis for dense layers.
    func packedSign(_ sign: Int, channelsLast: Bool) throws -> Int {
        let n = g.nodes[sign]
        let key = "\(n.outputs[0])|\(channelsLast)"
        if let t = packed[key] { return t }
        guard let x = n.input(0) else { throw LowerError.unsupportedForm(node: n.label, detail: "Sign without input") }
        let xs = try shape(x)
        let outShape = channelsLast ? [xs[0]] + Array(xs[2...]) + [xs[1]] : xs
        let input = try floatValue(x)
        let t = b.addActivation(n.outputs[0] + (channelsLast ? "/packed_channels_last" : "/packed"), shape: outShape, dtype: .bit)
        b.addOperator(.signPack, inputs: [input], outputs: [t], options: .signPack(channelsLast: channelsLast, threshold: 0), name: n.name)
        packed[key] = t
        records.append(LayerRecord(node: n.label, op: "Sign", fused: [], kernel: .binary,
                                   reason: notes[output: n.outputs[0]].map { "\($0); sign and bit-pack (x ≥ 0 → +1)" } ?? "sign and bit-pack (x ≥ 0 → +1)", inputShape: xs, outputShape: outShape,
                                   parameters: 0, bytesBefore: 0, bytesAfter: 0))
        return t
    }

    /// Sign(x) as floats (-1, 0, +1, as ONNX) for a float consumer.
    func floatSign(_ sign: Int) throws -> Int {
        let n = g.nodes[sign]
        if let t = floatSigns[n.outputs[0]] { return t }
        guard let x = n.input(0) else { throw LowerError.unsupportedForm(node: n.label, detail: "Sign without input") }
        let xs = try shape(x)
        let out = b.addActivation(n.outputs[0], shape: xs)
        b.addOperator(.sign, inputs: [try floatValue(x)], outputs: [out], options: .none, name: n.name)
        floatSigns[n.outputs[0]] = out
        records.append(LayerRecord(node: n.label, op: "Sign", fused: [], kernel: .float,
                                   reason: notes[output: n.outputs[0]].map { "\($0); float sign for a float consumer" } ?? "float sign for a float consumer", inputShape: xs, outputShape: xs,
                                   parameters: 0, bytesBefore: 0, bytesAfter: 0))
        return out
    }
}
