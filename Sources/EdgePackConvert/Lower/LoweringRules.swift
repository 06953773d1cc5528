import EdgePackRuntime

/// ONNX operator → how the Emitter lowers it: the one list of what the converter accepts
/// (after constant folding removed the weight subgraphs and Passes/Rewrites the patterns they
/// rewrite). `LowerError.supportedOps` is its keys; a new operator needs a rule here.
enum LoweringRules {
    typealias Rule = @Sendable (Emitter, Int) throws -> Void

    static let table: [String: Rule] = [
        // Written on demand by its consumers (bit-packed or as floats).
        "Sign": { _, _ in },
        "Identity": { try $0.alias($1) },
        "Dropout": { try $0.alias($1) },
        "Conv": { try $0.lowerConv($1) },
        "Gemm": { try $0.lowerDense($1) },
        "MatMul": { try $0.lowerMatMul($1) },
        "BatchNormalization": { try $0.emitBatchNorm($1) },
        "Relu": { try $0.emitActivation($1) },
        "Clip": { try $0.emitActivation($1) },
        "PRelu": { try $0.emitActivation($1) },
        "Abs": { try $0.emitAbs($1) },
        "Sin": { try $0.emitTrig($1) },
        "Cos": { try $0.emitTrig($1) },
        "Add": { try $0.emitArithmetic($1) },
        "Sub": { try $0.emitArithmetic($1) },
        "Mul": { try $0.emitArithmetic($1) },
        "Div": { try $0.emitArithmetic($1) },
        "MaxPool": { try $0.emitPool($1) },
        "AveragePool": { try $0.emitPool($1) },
        "GlobalAveragePool": { try $0.emitPool($1) },
        "GlobalMaxPool": { try $0.emitPool($1) },
        "ReduceMean": { try $0.emitReduceMean($1) },
        "ReduceMax": { try $0.emitReduceMax($1) },
        "Reshape": { try $0.emitReshape($1) },
        "Flatten": { try $0.emitReshape($1) },
        "Squeeze": { try $0.emitReshape($1) },
        "Unsqueeze": { try $0.emitReshape($1) },
        "Transpose": { try $0.emitTranspose($1) },
        "Concat": { try $0.emitConcat($1) },
        "Softmax": { try $0.emitSoftmax($1) },
        "LogSoftmax": { try $0.emitSoftmax($1) },
        // Supported in the forms Passes/Rewrites turn into convolutions; any other is an error.
        "Pad": { try $0.rejectUnrewritten($1, form: "only a zero Pad of the spatial axes of a 3-D or 4-D tensor (it becomes a convolution)") },
        "Slice": { try $0.rejectUnrewritten($1, form: "only a Slice that keeps a range of channels, x[:, a:b], and/or subsamples spatial axes from 0 to the end, x[:, :, ::s] (it becomes a 1×1 convolution)") },
        // Comparisons, casts and selects: only inside a straight-through binarizer that
        // Passes/Rewrites/StraightThroughSign proves exactly Sign (then they are dead).
        "Less": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "Greater": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "LessOrEqual": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "GreaterOrEqual": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "Cast": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "Where": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
        "Neg": { try $0.rejectUnrewritten($1, form: Self.binarizerForm) },
    ]

    static let binarizerForm = "inside a straight-through binarizer sign(x) − p(x) + p(x) that is exactly Sign(x): p computed from the same x as the Sign, with the sign of x and |p| ≤ 1 (a clip to [−1, 1] or Bi-Real's polynomial)"
}

extension Emitter {
    /// Identity and Dropout (inference): the output is the input.
    func alias(_ i: Int) throws {
        let n = g.nodes[i]
        tensors[n.outputs[0]] = try floatValue(n.inputs[0])
    }

    /// MatMul by a constant is a dense layer; of two run-time tensors, a batched product.
    func lowerMatMul(_ i: Int) throws {
        let n = g.nodes[i]
        if constant(n.input(1)) == nil && constant(n.input(0)) == nil { try emitMatMulOfActivations(i) } else { try lowerDense(i) }
    }

    /// Concat (torch.cat; torch.stack of one tensor exports as a one-input Concat).
    func emitConcat(_ i: Int) throws {
        let n = g.nodes[i]
        guard let axis = try n.int("axis") else { throw LowerError.unsupportedForm(node: n.label, detail: "Concat without an axis") }
        let rank = try shape(n.outputs[0]).count
        let inputs = try n.inputs.filter { !$0.isEmpty }.map { try floatValue($0) }
        let out = try activation(n.outputs[0])
        b.addOperator(.concat, inputs: inputs, outputs: [out], options: ConcatOptions(axis: try normalizedAxis(axis, rank: rank)), name: n.name)
        try record(n, kernel: .float, reason: "concatenation", input: n.inputs[0], output: n.outputs[0])
    }

    func rejectUnrewritten(_ i: Int, form: String) throws {
        let n = g.nodes[i]
        throw LowerError.unsupportedForm(node: n.label, detail: "\(n.opType) is supported in one form, \(form)")
    }
}
