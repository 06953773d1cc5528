import EdgePackFormat

/// Convolutions and dense layers, in three steps:
/// 1. match: read the node, find the epilogue to fold (BatchNorm, activation) and decide the
///    kernel: a `BinaryLayerPlan`, or a float plan with the `FloatReason`;
/// 2. fold: α, the layer's bias and the epilogue into one `OutputTransform`;
/// 3. emit: write weights, transform and operator through the ModelBuilder, and the report row.
extension Emitter {
    func lowerConv(_ i: Int) throws {
        let conv = try readConv(i)
        let epilogue = try matchEpilogue(after: i, channels: conv.outChannels, channelAxisIsOne: true)
        let params = try convParams(conv.node, input: conv.operands.inputShape, kernel: conv.kernel)
        let plan = matchLayer(conv.operands, formReason: conv.binaryFormReason(groups: params.groups), epilogue: epilogue)
        let transform = OutputTransform(folding: plan, bias: conv.operands.bias)
        try emitConv(conv, params, plan, transform)
    }

    /// Gemm, and MatMul by a constant.
    func lowerDense(_ i: Int) throws {
        let dense = try readDense(i)
        let l = dense.operands
        let epilogue = try matchEpilogue(after: i, channels: l.outputs, channelAxisIsOne: l.inputShape.count == 2)
        let plan = matchLayer(l, formReason: nil, epilogue: epilogue)
        let transform = OutputTransform(folding: plan, bias: l.bias)
        try emitDense(dense, plan, transform)
    }
}
