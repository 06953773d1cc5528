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

    /// Fixtures/fuzz/onnx_constant_of_shape_huge.onnx: a mutated shape made constant folding build a
    /// ConstantOfShape through a 1.9 GB index array. It must end, converted or refused.
    @Test func onnxConstantOfShapeWithAHugeShape() throws {
        let data = try Data(contentsOf: ConvertFixtures.directory.appendingPathComponent("fuzz/onnx_constant_of_shape_huge.onnx"))
        var graph = try ONNXLoader.load(data: data)
        if let result = try? Converter.convert(graph: &graph, source: "fuzz.onnx", options: ConvertOptions()) {
            try result.model.withUnsafeBytes { _ = try Interpreter(model: try ModelFile(bytes: $0)) }
        }
    }

    /// ConstantOfShape may not materialize more than 512 MiB from a few bytes of file: a 2^28-element
    /// float32 shape is refused by name before anything is allocated.
    @Test func constantOfShapeIsBoundedInBytes() throws {
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("ConstantOfShape", ["s"], ["c"], name: "fill"), ONNXBuild.node("Add", ["x", "c"], ["y"], name: "add")],
            inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"],
            initializers: [ONNXBuild.int64Tensor("s", [2], [1 << 14, 1 << 14])])
        var graph = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect { _ = try Converter.convert(graph: &graph, source: "test", options: ConvertOptions()) } throws: {
            "\($0)".contains("over the 512 MiB")
        }
    }
}
