import Foundation
import Testing
@testable import EdgePackConvert

/// Every exported PyTorch fixture (Fixtures/onnx, both exporters) loads, folds, and keeps only
/// ops the converter maps to runtime kernels; its static shapes are inferred.
@Suite struct FixtureModelsFoldTests {
    /// Ops that only ever compute on weights or shapes in these models: none may remain.
    static let weightOnlyOps: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Size", "Gather", "Cast", "CastLike", "Range", "Expand", "Tile",
        "Log", "Exp", "Round", "Floor", "Ceil", "Pow", "Sqrt", "Reciprocal", "ReduceProd", "ReduceL1", "ReduceL2",
        "Equal", "Identity",
    ]

    static var directory: URL {
        if let d = ProcessInfo.processInfo.environment["EDGEPACK_ONNX_FIXTURES"] { return URL(fileURLWithPath: d) }
        return ConvertFixtures.directory.appendingPathComponent("onnx")
    }

    static var models: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".onnx") }.sorted()
    }

    @Test func fixturesFoldToRuntimeOps() throws {
        let models = Self.models
        if models.isEmpty { print("no ONNX fixtures in \(Self.directory.path) yet"); return }
        for name in models {
            var g = try ONNXLoader.load(path: Self.directory.appendingPathComponent(name).path)
            let before = g.nodes.count
            let report = try ConstantFolding.run(&g)
            try ShapeInference.run(&g)
            let left = Set(g.nodes.map(\.opType)).intersection(Self.weightOnlyOps)
            let constantNodes = g.nodes.filter { n in n.inputs.allSatisfy { $0.isEmpty || g.initializers[$0] != nil } }
            print("\(name): opset \(g.opset), \(before) -> \(g.nodes.count) nodes, folded \(report.folded): \(g.opCounts.map { "\($0.op)×\($0.count)" }.joined(separator: " "))")
            #expect(left.isEmpty, "\(name): quantizer ops left after folding: \(left.sorted())")
            #expect(constantNodes.isEmpty, "\(name): nodes with constant inputs left: \(constantNodes.map(\.label))")
            #expect(report.notEvaluable.isEmpty, "\(name): \(report.notEvaluable)")
            #expect(g.nodes.contains { $0.opType == "Sign" }, "\(name) has no Sign")
        }
    }
}
