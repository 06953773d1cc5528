import EdgePackFormat
import EdgePackHost
import Testing
@testable import EdgePackConvert

/// The match and fold steps of convolution and dense lowering, as values (before anything is
/// written): which layers are planned binary, why the others stay float, and the folded
/// per-channel output transform.
@Suite struct LayerPlanTests {
    /// Loads, folds and shape-infers a model and matches its Conv as the converter does.
    static func matchConv(_ m: Onnx_ModelProto) throws -> (plan: LayerPlan, graph: Graph) {
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        _ = try ConstantFolding.run(&g)
        try ShapeInference.run(&g)
        let e = Emitter(graph: g, builder: ModelBuilder())
        let i = try #require(g.nodes.firstIndex { $0.opType == "Conv" })
        let conv = try e.readConv(i)
        let epilogue = try e.matchEpilogue(after: i, channels: conv.outChannels, channelAxisIsOne: true)
        return (e.matchLayer(conv.operands, formReason: nil, epilogue: epilogue), g)
    }

    @Test func plusMinusAlphaWeightsOnASignArePlannedBinaryWithTheirEpilogue() throws {
        let alpha: [Float] = [0.5, 0.25, 2]
        let w = LoweringTests.pattern(54, seed: 3).enumerated().map { $0.element * alpha[$0.offset / 18] }
        let bn = ONNXBuild.node("BatchNormalization", ["y", "g", "b", "m", "v"], ["z"], name: "bn")
        var m = LoweringTests.signConv(weights: w, extra: [bn, ONNXBuild.node("Relu", ["z"], ["out"], name: "relu")], output: "out")
        m.graph.initializer += [ONNXBuild.tensor("g", [3], [1, 1, 1]), ONNXBuild.tensor("b", [3], [0, 0, 0]),
                                ONNXBuild.tensor("m", [3], [0, 0, 0]), ONNXBuild.tensor("v", [3], [1, 1, 1])]
        let (plan, g) = try Self.matchConv(m)
        guard case .binary(let p) = plan else { Issue.record("not binary: \(plan)"); return }
        #expect(g.nodes[p.sign].opType == "Sign" && p.alpha == alpha)
        #expect(p.epilogue.nodes.map { g.nodes[$0].name } == ["bn", "relu"] && p.epilogue.output == "out")
        #expect(p.epilogue.activation.kind == .relu)
    }

    @Test func floatLayersCarryTheirReason() throws {
        let (ofRelu, _) = try Self.matchConv(LoweringTests.signConv(weights: LoweringTests.pattern(54, seed: 7), relu: true))
        guard case .binary = ofRelu else { Issue.record("a Sign of a Relu output is binary (zero mask): \(ofRelu)"); return }
        // Magnitudes 1 and 2 within output channel 0: one scale per (out, in) pair.
        let perPair = LoweringTests.pattern(54, seed: 5).enumerated().map { $0.element * Float(1 + $0.offset / 9) }
        let (perIn, _) = try Self.matchConv(LoweringTests.signConv(weights: perPair))
        guard case .float(let b) = perIn else { Issue.record("binary"); return }
        #expect(b.reason == .magnitudesPerChannel(channel: 0, count: 2))
    }

    /// Values chosen so that every product and sum is exact in float32.
    @Test func foldGivesScaleAlphaTimesSAndBiasBTimesSPlusT() {
        var e = Epilogue(output: "y")
        e.batchNorm = (scale: [2, 0.25], shift: [0.25, 1])
        e.activation = FusedActivation(kind: .relu)
        let binary = OutputTransform(alpha: [0.5, 2], bias: [1, -1], epilogue: e)
        #expect(binary.scale == [1, 0.5] && binary.bias == [2.25, 0.75] && binary.activation.kind == .relu)
        let float = OutputTransform(alpha: nil, bias: nil, epilogue: e)
        #expect(float.scale == [2, 0.25] && float.bias == [0.25, 1])
        #expect(float.scalingRows(of: [1, 2, 3, 4]) == [2, 4, 0.75, 1])
        let plain = OutputTransform(alpha: nil, bias: nil, epilogue: Epilogue(output: "y"))
        #expect(plain.scale == nil && plain.bias == nil && plain.scalingRows(of: [1, 2]) == [1, 2])
    }
}
