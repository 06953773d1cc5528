import EdgePackRuntime
import Foundation
import Testing
@testable import EdgePackConvert

/// Channel slices (BiPointNet's x[:, :3, :]) and ReduceMean over one axis (XNOR's activation
/// scale, a mean over channels), converted and run, against onnxruntime on the same ONNX file.
@Suite struct SliceAndMeanConvertTests {
    func run(_ m: Onnx_ModelProto, shape: [Int]) throws -> (got: [[Float]], want: [NPYArray], report: ConversionReport)? {
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv with onnxruntime)")
            return nil
        }
        let url = temporaryDirectory().appendingPathComponent("m.onnx")
        try ONNXBuild.bytes(m).write(to: url)
        let r = try Converter.convert(path: url.path)
        let inputs = Verifier.randomInputs(shape: shape, count: 2, seed: 5)
        return (try Verifier.runtimeOutputs(model: r.model, inputs: inputs), try Verifier.onnxruntimeOutputs(onnx: url.path, inputs: inputs), r.report)
    }

    @Test(arguments: [
        ([Int64(0)], [Int64(3)], [Int64(1)], [Int64(1)], [1, 6, 10], [1, 3, 10]),
        ([-4], [-1], [1], [1], [1, 6, 10], [1, 3, 10]),
        ([1, 0], [4, Int64.max], [1, 3], [1, 2], [1, 6, 4, 6], [1, 3, 4, 3]),
    ])
    func channelSliceIsExact(starts: [Int64], ends: [Int64], axes: [Int64], steps: [Int64], shape: [Int], outShape: [Int]) throws {
        let k = axes.count
        let inits = [ONNXBuild.int64Tensor("starts", [k], starts), ONNXBuild.int64Tensor("ends", [k], ends),
                     ONNXBuild.int64Tensor("axes", [k], axes), ONNXBuild.int64Tensor("steps", [k], steps)]
        let slice = ONNXBuild.node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"], name: "slice")
        let m = ONNXBuild.model(nodes: [slice], inputs: [ONNXBuild.value("x", shape)], outputs: ["y"], initializers: inits)
        guard let (got, want, report) = try run(m, shape: shape) else { return }
        #expect(report.layers.contains { $0.reason.hasPrefix("channel slice") })
        for (g, w) in zip(got, want) {
            #expect(w.shape == outShape)
            #expect(g == w.data)
        }
    }

    @Test(arguments: [(Int64(1), Int64(1), 18), (1, 0, 18), (-2, 1, 13), (0, 0, 13), (3, 1, 18)])
    func meanOverOneAxis(axis: Int64, keep: Int64, opset: Int) throws {
        let shape = [1, 5, 4, 3]
        var attrs = [ONNXBuild.intAttribute("keepdims", keep)]
        var inits: [Onnx_TensorProto] = []
        var inputs = ["x"]
        if opset >= 18 { inits = [ONNXBuild.int64Tensor("axes", [1], [axis])]; inputs.append("axes") } else { attrs.append(ONNXBuild.intsAttribute("axes", [axis])) }
        let mean = ONNXBuild.node("ReduceMean", inputs, ["y"], name: "mean", attributes: attrs)
        let m = ONNXBuild.model(nodes: [mean], inputs: [ONNXBuild.value("x", shape)], outputs: ["y"], initializers: inits, opset: Int64(opset))
        guard let (got, want, _) = try run(m, shape: shape) else { return }
        for (g, w) in zip(got, want) {
            #expect(g.count == w.data.count)
            // onnxruntime sums in its own order; a mean of 4 or 5 values differs by a rounding at most.
            let worst = zip(g, w.data).map { ulpDistance($0, $1) }.max() ?? 0
            #expect(worst <= 2, "axis \(axis) keepdims \(keep): \(worst) ulp")
        }
    }
}
