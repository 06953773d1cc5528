import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Emit step for convolutions: writes what the plan and the transform say, and the report row.
extension Emitter {
    func emitConv(_ c: ConvLayer, _ params: ConvParams, _ plan: LayerPlan, _ t: OutputTransform) throws {
        switch plan {
        case .binary(let p): try emitBinaryConv(c, params, p, t)
        case .float(let p): try emitFloatConv(c, params, p, t)
        }
    }

    private func emitBinaryConv(_ c: ConvLayer, _ params: ConvParams, _ p: BinaryLayerPlan, _ t: OutputTransform) throws {
        let l = c.operands, n = l.node, cin = c.inChannels, is1D = c.is1D
        let packedInput = try packedSign(p.sign, channelsLast: true)
        let (values, wShape) = BinaryConvLayout.relayout(c, depthwise: params.groups > 1)
        let words = packSigns(values, rowLength: wShape.last!)
        let wp = b.addPackedConstant(l.weightName + "/packed", shape: wShape, words: words)
        let inputs = [packedInput, wp] + outputConstants(l, t, output: p.epilogue.output, binary: true)
        let out = try activation(p.epilogue.output)
        var params = params
        params.activation = t.activation
        b.addOperator(is1D ? .binaryConv1d : .binaryConv2d, inputs: inputs, outputs: [out],
                      options: .binaryConv(params, inputChannels: cin), name: n.name)
        try recordLayer(l, plan: .binary(p), after: t.binaryLayerBytes(packedWords: words.count, channels: l.outputs))
    }

    private func emitFloatConv(_ c: ConvLayer, _ params: ConvParams, _ p: FloatLayerPlan, _ t: OutputTransform) throws {
        let l = c.operands, n = l.node, is1D = c.is1D
        let weights = t.scalingRows(of: l.weights)
        let wc = b.addConstant(l.weightName, shape: c.weightShape, floats: weights)
        let inputs = [try floatValue(l.input), wc] + outputConstants(l, t, output: p.epilogue.output, binary: false)
        var params = params
        params.activation = t.activation
        if params.groups < 1 { params.groups = 1 }
        let out = try activation(p.epilogue.output)
        b.addOperator(is1D ? .conv1d : .conv2d, inputs: inputs, outputs: [out], options: .conv(params), name: n.name)
        try recordLayer(l, plan: .float(p), after: t.floatLayerBytes(weights: weights.count))
    }
}
