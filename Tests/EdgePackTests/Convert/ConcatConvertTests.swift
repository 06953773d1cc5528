import EdgePackRuntime
import Foundation
import Testing
@testable import EdgePackConvert

/// Concat as torch exports it (torch.cat, and torch.stack of one tensor as a one-input Concat),
/// converted and run, against onnxruntime on the same ONNX file.
@Suite struct ConcatConvertTests {
    func model(axis: Int64, oneInput: Bool) -> Onnx_ModelProto {
        let c = ONNXBuild.tensor("c", [1, 2, 5], (0..<10).map { Float($0) * 0.25 - 1 })
        let relu = ONNXBuild.node("Relu", ["x"], ["r"], name: "relu")
        let cat = ONNXBuild.node("Concat", oneInput ? ["r"] : ["x", "r", "c"], ["y"], name: "cat",
                                 attributes: [ONNXBuild.intAttribute("axis", axis)])
        return ONNXBuild.model(nodes: [relu, cat], inputs: [ONNXBuild.value("x", [1, 2, 5])], outputs: ["y"],
                               initializers: oneInput ? [] : [c])
    }

    @Test(arguments: [(Int64(1), false), (Int64(-1), false), (Int64(2), false), (Int64(0), true)])
    func agreesWithOnnxruntime(axis: Int64, oneInput: Bool) throws {
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv with onnxruntime)")
            return
        }
        let m = model(axis: axis, oneInput: oneInput)
        let url = temporaryDirectory().appendingPathComponent("concat.onnx")
        try ONNXBuild.bytes(m).write(to: url)
        let r = try Converter.convert(path: url.path)
        #expect(r.report.layers.contains { $0.op == "Concat" })
        let inputs = Verifier.randomInputs(shape: [1, 2, 5], count: 3, seed: 11)
        let want = try Verifier.onnxruntimeOutputs(onnx: url.path, inputs: inputs)
        let got = try Verifier.runtimeOutputs(model: r.model, inputs: inputs)
        for (g, w) in zip(got, want) {
            #expect(w.shape == (oneInput ? [1, 2, 5] : (axis == 1 ? [1, 6, 5] : [1, 2, 15])))
            #expect(g == w.data, "axis \(axis)")
        }
    }
}
