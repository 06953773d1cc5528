/// One converted layer: the ONNX nodes it came from, the kernel chosen, and its storage.
public struct LayerRecord: Sendable {
    public enum Kernel: String, Sendable { case binary, float, layout }
    /// The main ONNX node ("Conv 'layer1.conv'") and the nodes fused into it.
    public var node: String
    public var op: String
    public var fused: [String]
    public var kernel: Kernel
    /// Why this kernel (for float layers next to a Sign: why not binary).
    public var reason: String
    public var inputShape: [Int]
    public var outputShape: [Int]
    public var parameters: Int
    /// Float32 bytes of the layer's (folded) ONNX weights, and what the .epk stores for it.
    public var bytesBefore: Int
    public var bytesAfter: Int
    /// `--rebinarize`d layers: ‖w − α·sign(w)‖ / ‖w‖ of the approximated weights.
    public var weightError: Double? = nil
    /// A float layer that `--rebinarize` would make binary.
    public var rebinarizable = false
}

/// Everything `Converter.convert` found and decided.
public struct ConversionReport: Sendable {
    public var model = ""
    public var opset = 0
    public var onnxNodes = 0
    public var folding = FoldingReport()
    public var layers: [LayerRecord] = []
    public var warnings: [String] = []
    /// The preprocessing stored in the model ("audio, 12 labels"), and where it came from.
    public var preprocessing = "none"
    public var preprocessingSource = PreprocessingSource.none
    /// Binary layers that write their sign bits (FuseBitpackedOutputs).
    public var bitpackedOutputs = 0
    /// Layers left with a float result because their sign chain gives exactly the threshold
    /// at some dot product (ONNX's Sign is 0 there, which their SignPack's zero mask carries).
    public var unfusedAtZero = 0
    /// SignPacks writing a zero mask for the binary layers reading them.
    public var zeroMasks = 0
    /// Weights written v − p + p (the straight-through idiom) now read as v: the value and the
    /// largest change that made, relative to max |v| (`WeightStraightThrough`).
    public var straightThroughWeights: [(value: String, relativeChange: Double)] = []
    public var straightThroughSummary: String? {
        guard let worst = straightThroughWeights.map(\.relativeChange).max() else { return nil }
        let change = worst == 0 ? "the idiom rounds nothing here (exact)" : "the float32 rounding of the idiom this drops is at most \(formatError(worst)) of max |v|"
        return "\(straightThroughWeights.count) weight tensors written v − p + p (straight-through) read as their forward value v; " + change
    }

    public var bytesBefore: Int { layers.reduce(0) { $0 + $1.bytesBefore } }
    public var bytesAfter: Int { layers.reduce(0) { $0 + $1.bytesAfter } }
    /// Convolution and dense layers running on binary kernels (sign packing not counted).
    /// (A layer run as two binary passes is listed once.)
    public var rebinarized: [LayerRecord] {
        var seen = Set<String>()
        return layers.filter { $0.weightError != nil && seen.insert($0.node).inserted }
    }
    public var rebinarizable: Int { layers.filter(\.rebinarizable).count }
    /// What `--rebinarize` did, or would do; nil when it concerns no layer.
    public var rebinarizeSummary: String? {
        if !rebinarized.isEmpty {
            return "\(rebinarized.count) layers rebinarized (--rebinarize) to sign(w)·mean|w| per output channel; relative weight error "
                + rebinarized.map { "\($0.node) \(formatError($0.weightError!))" }.joined(separator: ", ")
        }
        if rebinarizable > 0 {
            return "\(rebinarizable) more layers would be binary with --rebinarize (sign(w)·mean|w| per output channel, an approximation whose error the report then gives)"
        }
        return nil
    }
    /// (A layer run as two binary passes, BiFSMNv2's LPB input, counts once.)
    public var binaryLayers: Int { Set(layers.filter { $0.kernel == .binary && $0.op != "Sign" }.map(\.node)).count }

    /// The per-layer table of `edgepack convert --report`.
    public func table() -> String {
        var rows: [[String]] = [["layer", "op", "kernel", "why", "input", "output", "params", "bytes before", "after"]]
        for l in layers {
            rows.append([l.node, ([l.op] + l.fused).joined(separator: "+"), l.kernel.rawValue, l.reason,
                         shape(l.inputShape), shape(l.outputShape), String(l.parameters), String(l.bytesBefore), String(l.bytesAfter)])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = rows.map { r in zip(r, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ") }
        let ratio = bytesAfter > 0 ? Double(bytesBefore) / Double(bytesAfter) : 0
        out.append("")
        out.append("\(layers.count) layers (\(binaryLayers) binary, \(bitpackedOutputs) writing bit-packed signs); weights \(bytesBefore) bytes as float32 ONNX -> \(bytesAfter) bytes in the model: \(formatRatio(ratio))× smaller")
        if let rebinarizeSummary { out.append(rebinarizeSummary) }
        if unfusedAtZero > 0 {
            out.append("\(unfusedAtZero) binary layers keep a float result: their sign chain gives exactly the threshold at some dot product, where ONNX's Sign is 0 and a bit-packed output could only say ±1")
        }
        return out.joined(separator: "\n")
    }

    private func shape(_ s: [Int]) -> String { s.isEmpty ? "-" : s.map(String.init).joined(separator: "×") }

    private func formatRatio(_ r: Double) -> String {
        let scaled = Int((r * 10).rounded())
        return "\(scaled / 10).\(scaled % 10)"
    }
}
