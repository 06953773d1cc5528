/// A Conv node's operands, read and checked: what the match, fold and emit steps work from.
struct ConvLayer {
    var operands: LayerOperands
    /// ONNX layout [Cout, Cin / groups, kernel...].
    var weightShape: [Int]

    var node: Node { operands.node }
    var outChannels: Int { operands.outputs }
    var inChannels: Int { operands.inputShape[1] }
    var kernel: [Int] { Array(weightShape[2...]) }
    var taps: Int { weightShape[2...].reduce(1, *) }
    var is1D: Bool { operands.inputShape.count == 3 }

    /// What rules out a binary kernel for this form even with ±α weights: the binary kernels
    /// are dense or depthwise, with at most 64 taps.
    func binaryFormReason(groups: Int) -> FloatReason? {
        if groups > 1 && !(groups == inChannels && outChannels == inChannels && weightShape[1] == 1) {
            return .groupedNotDepthwise(groups: groups)
        }
        return taps > 64 ? .tooManyTaps(taps) : nil
    }
}

extension Emitter {
    func readConv(_ i: Int) throws -> ConvLayer {
        let n = g.nodes[i]
        guard let x = n.input(0), let wName = n.input(1) else { throw LowerError.unsupportedForm(node: n.label, detail: "missing inputs") }
        guard let wt = constant(wName), let w = wt.floats else {
            throw LowerError.unsupportedForm(node: n.label, detail: "the weight is computed at run time; only constant weights are supported")
        }
        let xs = try shape(x), ws = wt.shape
        guard xs.count == 3 || xs.count == 4 else { throw LowerError.unsupportedForm(node: n.label, detail: "only 1-D and 2-D convolutions are supported, input is \(xs)") }
        let bias = constant(n.input(2))?.floats
        if n.input(2) != nil && bias == nil { throw LowerError.unsupportedForm(node: n.label, detail: "the bias is computed at run time") }
        let operands = LayerOperands(node: n, input: x, inputShape: xs, weightName: wName, weights: w, outputs: ws[0], bias: bias)
        return ConvLayer(operands: operands, weightShape: ws)
    }
}
