import EdgePackConvert
import EdgePackFormat
import EdgePackRuntime
import Foundation
import Testing

/// Inputs the libFuzzer targets (Toolchain/fuzz) once crashed on, run through the same check as
/// the target: whatever the converter writes, the runtime accepts and plans.
struct FuzzRegressionTests {
    /// Fixtures/fuzz/onnx_clip_max_inf.onnx: a bundled model's ONNX with one bit changed, which
    /// turned a Clip's bound into inf (the form a Clip with its max left out also takes); the
    /// converter wrote it and the verifier refused it ("options.max is inf").
    @Test func onnxClipWithAnInfiniteBound() throws {
        let data = try Data(contentsOf: ConvertFixtures.directory.appendingPathComponent("fuzz/onnx_clip_max_inf.onnx"))
        var graph = try ONNXLoader.load(data: data)
        let result = try Converter.convert(graph: &graph, source: "fuzz.onnx", options: ConvertOptions())
        try result.model.withUnsafeBytes { _ = try Interpreter(model: try ModelFile(bytes: $0)) }
    }
}
