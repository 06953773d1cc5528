import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Emit step for dense layers: writes what the plan and the transform say, and the report row.
extension Emitter {
    func emitDense(_ d: DenseLayer, _ plan: LayerPlan, _ t: OutputTransform) throws {
        let l = d.operands, n = l.node
        switch plan {
        case .binary(let p):
            let packedInput = try packedSign(p.sign, channelsLast: false)
            let words = packSigns(l.weights, rowLength: d.k)
            let wp = b.addPackedConstant(l.weightName + "/packed", shape: [l.outputs, d.k], words: words)
            let inputs = [packedInput, wp] + outputConstants(l, t, output: p.epilogue.output, binary: true)
            let out = try activation(p.epilogue.output)
            b.addOperator(.binaryGemm, inputs: inputs, outputs: [out], options: .binaryGemm(t.activation), name: n.name)
            try recordLayer(l, plan: plan, after: t.binaryLayerBytes(packedWords: words.count, channels: l.outputs))
        case .float(let p):
            let weights = t.scalingRows(of: l.weights)
            let inputs = [try floatValue(l.input), b.addConstant(l.weightName, shape: [l.outputs, d.k], floats: weights)]
                + outputConstants(l, t, output: p.epilogue.output, binary: false)
            let out = try activation(p.epilogue.output)
            b.addOperator(.gemm, inputs: inputs, outputs: [out], options: .gemm(t.activation), name: n.name)
            try recordLayer(l, plan: plan, after: t.floatLayerBytes(weights: weights.count))
        }
    }
}
