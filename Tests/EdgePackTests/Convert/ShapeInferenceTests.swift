import Foundation
import Testing
@testable import EdgePackConvert

/// Static shapes of run-time ops against the shapes onnxruntime produced (shapes.onnx).
@Suite struct ShapeInferenceTests {
    @Test func shapesMatchOnnxruntime() throws {
        var (g, expected) = try ConvertFixtures.load("shapes.onnx", prefix: "expected_shape:")
        _ = try ConstantFolding.run(&g)
        try ShapeInference.run(&g)
        #expect(expected.count == g.outputs.count)
        for out in g.outputs {
            guard let want = expected[out.name]?.integers else { Issue.record("no shape for \(out.name)"); continue }
            #expect(g.info(out.name)?.shape == want.map { Int($0) }, "\(out.name)")
            #expect(out.info.shape == want.map { Int($0) })
        }
    }

    @Test func unknownInputShapeIsNamed() throws {
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [ONNXBuild.value("x", nil)], outputs: ["y"])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect { try ShapeInference.run(&g) } throws: { "\($0)".contains("graph input 'x' has no static shape") }
        var o = LoadOptions()
        o.inputShapes = ["x": [1, 5]]
        var g2 = try ONNXLoader.load(data: try ONNXBuild.bytes(m), options: o)
        try ShapeInference.run(&g2)
        #expect(g2.values["y"]?.shape == [1, 5])
    }

    @Test func mismatchedConvIsReported() throws {
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("Conv", ["x", "w"], ["y"], name: "conv1")],
            inputs: [ONNXBuild.value("x", [1, 3, 8, 8])], outputs: ["y"],
            initializers: [ONNXBuild.tensor("w", [4, 2, 3, 3], [Float](repeating: 0, count: 72))])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect { try ShapeInference.run(&g) } throws: { e in
            let d = "\(e)"
            return d.contains("Conv 'conv1'") && d.contains("input channels 3")
        }
    }

    @Test func opWithoutRuleIsNamed() throws {
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("LRN", ["x"], ["y"], name: "lrn")],
                                inputs: [ONNXBuild.value("x", [1, 3, 4, 4])], outputs: ["y"])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect { try ShapeInference.run(&g) } throws: { "\($0)".contains("no rule for LRN 'lrn'") }
    }
}
