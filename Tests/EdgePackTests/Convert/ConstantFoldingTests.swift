import Foundation
import Testing
@testable import EdgePackConvert

/// Weight quantizers exported by both torch exporters fold to exactly the weights onnxruntime
/// computes, and only run-time ops remain.
@Suite struct ConstantFoldingTests {
    @Test(arguments: ["quantizers_ts.onnx", "quantizers_dynamo.onnx"])
    func quantizedWeightsEqualOnnxruntime(_ name: String) throws {
        var (g, expected) = try ConvertFixtures.load(name)
        for k in g.initializers.keys where k.hasPrefix("expected_output:") || k.hasPrefix("test_input:") { g.initializers[k] = nil }
        let before = g.nodes.count
        let report = try ConstantFolding.run(&g)
        let ops = Set(g.nodes.map(\.opType))
        print("\(name): \(before) nodes -> \(g.nodes.count) \(g.opCounts.map { "\($0.op)×\($0.count)" }); folded \(report.folded), removed \(report.removedNodes) nodes, \(report.removedInitializers) initializers")
        // What remains is the network itself: sign, conv, the spatial mean, the dense layer.
        #expect(ops.isSubset(of: ["Sign", "Conv", "ReduceMean", "MatMul", "Gemm"]), "left over: \(ops)")
        #expect(g.nodes.filter { $0.opType == "ReduceMean" }.count == 1)
        #expect(report.notEvaluable.isEmpty)
        #expect(expected.count == 2)
        for (value, want) in expected {
            // The weight operands are graph outputs in the fixture, so they survive as constants.
            guard let got = g.initializers[value] else { Issue.record("\(value) was not folded"); continue }
            #expect(got.shape == want.shape)
            let a = got.floats ?? [], b = want.floats ?? []
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "\(value): \(zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count) of \(b.count) weights differ from onnxruntime")
            // And they are what the quantizers promise: ±α per output channel (rows of the
            // conv weight; rows of the linear weight as MatMul/Gemm sees it, possibly transposed).
            let rowsFirst = got.rank == 4 || !value.contains("Transpose")
            let perRow = rowsFirst ? Dictionary(grouping: a.enumerated(), by: { $0.offset / (a.count / got.shape[0]) })
                                   : Dictionary(grouping: a.enumerated(), by: { $0.offset % got.shape[1] })
            for (_, row) in perRow {
                let mags = Set(row.map { abs($0.element) })
                #expect(mags.count == 1 && !mags.contains(0), "\(value): a channel has magnitudes \(mags.sorted().prefix(4))")
            }
        }
    }

    /// `x.view(x.size(0), -1)`: Shape of a run-time tensor folds once its shape is inferred,
    /// and so does everything computed from it.
    @Test func shapeOfActivationFolds() throws {
        var (g, _) = try ConvertFixtures.load("shapes.onnx", prefix: "expected_shape:")
        let shapeNodes = g.nodes.filter { $0.opType == "Shape" }.count
        #expect(shapeNodes == 1)
        let report = try ConstantFolding.run(&g)
        #expect(!g.nodes.contains { ["Shape", "Gather", "Concat"].contains($0.opType) && g.initializers[$0.inputs[0]] != nil })
        #expect(report.folded >= 4)
    }

    @Test func deadNodesAndInitializersAreRemoved() throws {
        // y = Relu(x); an unused branch Abs(x) -> Neg, and an unused initializer.
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("Relu", ["x"], ["y"]), ONNXBuild.node("Abs", ["x"], ["a"]), ONNXBuild.node("Neg", ["a"], ["b"])],
            inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"],
            initializers: [ONNXBuild.tensor("unused", [2], [1, 2])])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        let report = try ConstantFolding.run(&g)
        #expect(g.nodes.map(\.opType) == ["Relu"])
        #expect(report.removedNodes == 2 && report.removedInitializers == 1)
    }

    @Test func unevaluableConstantNodesStayAndAreReported() throws {
        // Softmax of a constant is not in the evaluator: it stays, and the report names it.
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("Softmax", ["c"], ["s"]), ONNXBuild.node("Add", ["x", "s"], ["y"])],
            inputs: [ONNXBuild.value("x", [1, 3])], outputs: ["y"],
            initializers: [ONNXBuild.tensor("c", [1, 3], [1, 2, 3])])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        let report = try ConstantFolding.run(&g)
        #expect(report.notEvaluable == ["Softmax": 1])
        #expect(g.nodes.map(\.opType) == ["Softmax", "Add"])
    }
}
