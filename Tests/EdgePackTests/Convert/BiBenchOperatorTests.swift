import Foundation
import Testing
@testable import EdgePackConvert

/// One small network per BiBench operator (Fixtures/bibench, from Datasets/fixtures/bibench.py;
/// TorchScript opsets 13 and 17 and dynamo): the three binarized layers convert binary and match
/// onnxruntime's stored output (XNOR's run-time activation scale multiplies the binary result),
/// or the model is refused by the rule it breaks.
@Suite struct BiBenchOperatorTests {
    static let directory = ConvertFixtures.directory.appendingPathComponent("bibench")
    static let exporters = ["ts13", "ts17", "dynamo"]
    /// Operators whose binarized layers all run binary today.
    static let binary = ["bnn", "dorefa", "bireal", "xnorpp", "xnor"].flatMap { op in exporters.map { "\(op)_\($0)" } }

    @Test(arguments: binary)
    func everyBinarizedLayerRunsBinary(_ name: String) throws {
        let base = Self.directory.appendingPathComponent(name).path
        let r = try Converter.convert(path: base + ".onnx")
        #expect(r.report.binaryLayers == 3, "\(name): \(r.report.table())")
        // DoReFa's and Bi-Real's weights are α·sign(w) − clip(w) + clip(w): read as α·sign(w), a
        // change within the idiom's two roundings (2u relative to |v| + |p|, so ≤ 4u of max |v|).
        // BNN's and XNOR++'s are sign(w) − clip(w) + clip(w), which rounds nothing.
        let changes = r.report.straightThroughWeights
        if name.hasPrefix("dorefa") || name.hasPrefix("bireal") || name.hasPrefix("xnor_") {
            #expect(changes.count == (name.hasPrefix("bireal") ? 3 : 2), "\(changes)")
            #expect(changes.allSatisfy { $0.relativeChange <= 0x1p-22 } && changes.contains { $0.relativeChange > 0 })
        } else {
            #expect(changes.allSatisfy { $0.relativeChange == 0 }, "\(changes)")
        }
        try BinarizerFormsTests.agreesWithOnnxruntime(r, base: base, name: name)
    }

    /// ReActNet's Linear takes the sign of x but the surrogate of x + b: not sign(x) in float32.
    @Test(arguments: exporters)
    func reactLinearSurrogateOfAnotherValueIsRefused(_ exporter: String) throws {
        try expectRefused("react_\(exporter)") { $0.contains("Less") && $0.contains("straight-through binarizer") }
    }

    /// XNOR's activation scale K = mean|x| (over (C, H, W) per sample for the convs, over the
    /// features for the Linear) multiplies the binary layer's result: three scaled layers.
    @Test(arguments: exporters)
    func xnorActivationScaleMultipliesTheBinaryResult(_ exporter: String) throws {
        let r = try Converter.convert(path: Self.directory.appendingPathComponent("xnor_\(exporter).onnx").path)
        let scales = r.report.layers.filter { $0.op == "Mul" && $0.node.hasSuffix("/scale'") }
        #expect(scales.count == 3, "\(r.report.table())")
    }

    /// K must be one value per sample (convolution) or per row (Linear): a scale per input
    /// feature does not leave the dot product, and the layer keeps its input.
    @Test(arguments: [([1, 1], true), ([1, 4], false)])
    func scaleFactorsOutOnlyPerRow(kShape: [Int], rewritten: Bool) throws {
        let axes: [Int64] = kShape == [1, 1] ? [1] : [0]
        let nodes = [
            ONNXBuild.node("Sign", ["x"], ["s"], name: "sign"), ONNXBuild.node("Abs", ["x"], ["a"], name: "abs"),
            ONNXBuild.node("ReduceMean", ["a"], ["k"], name: "k", attributes: [ONNXBuild.intsAttribute("axes", axes)]),
            ONNXBuild.node("Mul", ["s", "k"], ["sk"], name: "scaled"), ONNXBuild.node("MatMul", ["sk", "w"], ["y"], name: "layer"),
        ]
        let m = ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"],
                                initializers: [ONNXBuild.tensor("w", [4, 3], (0..<12).map { $0 % 3 == 0 ? -0.5 : 0.5 })], opset: 17)
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        try ShapeInference.run(&g)
        var notes = RewriteNotes()
        ScaledSignInput.run(&g, notes: &notes)
        let layer = try #require(g.nodes.first { $0.name == "layer" })
        #expect((layer.inputs[0] == "s") == rewritten)
        #expect(g.nodes.contains { $0.name == "layer/scale" } == rewritten)
    }

    /// FDA's layers read sign(x) plus a float correction 0.1·(MLP(x) + 0.1·sin(x)) and weights
    /// with their own (folded) correction: float by design, with Sin as a float operator.
    static let fda = exporters.map { "fda_\($0)" }

    @Test(arguments: fda)
    func fdaConvertsWithSinAsAFloatOperator(_ name: String) throws {
        let base = Self.directory.appendingPathComponent(name).path
        let r = try Converter.convert(path: base + ".onnx")
        #expect(r.report.binaryLayers == 0)
        #expect(r.report.layers.filter { $0.op == "Sin" }.count == 3, "\(r.report.table())")
        try BinarizerFormsTests.agreesWithOnnxruntime(r, base: base, name: name)
    }

    func expectRefused(_ name: String, _ why: (String) -> Bool) throws {
        let path = Self.directory.appendingPathComponent(name + ".onnx").path
        #expect { _ = try Converter.convert(path: path) } throws: { why("\($0)") }
    }

    /// The bound is checked on the values: an element off by more than the idiom's rounding keeps
    /// the graph's weights.
    @Test func changeOutsideTheRoundingBoundIsNotTaken() {
        let v: [Float] = [0.04, -0.04], p: [Float] = [0.03, -0.05]
        let graph = zip(v, p).map { ($0 - $1) + $1 }
        #expect(WeightStraightThrough.boundedChange(v: v, p: p, graph: graph) != nil)
        #expect(WeightStraightThrough.boundedChange(v: v, p: p, graph: [0.04, -0.0401]) == nil)
    }
}
