import Foundation
import Testing
import EdgePackFormat
import EdgePackRuntime
@testable import EdgePackConvert

/// Converts the exported PyTorch fixtures (Fixtures/onnx: name.onnx with name_input.npy and
/// onnxruntime's name_output.npy) and runs them in the runtime against onnxruntime.
@Suite struct ConvertFixturesTests {
    /// Fixtures whose graphs need operators the runtime does not have yet, and which ones.
    static let knownGaps: [String: String] = [
        "bifsmnv2": "BiFSMNv2's two-threshold activation computes on activations (Sub, Mul of two run-time tensors, Abs, ReduceMean over time)",
        "bipointnet": "BiPointNet's input/feature transforms multiply two run-time tensors (batched MatMul) and its head ends in LogSoftmax",
    ]

    static func npy(_ path: String) throws -> NPYArray {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        return try d.withUnsafeBytes { try NPY.parse($0) }
    }

    /// Output 0 of a converted model for one input.
    static func run(_ model: [UInt8], input: [Float]) throws -> [Float] {
        try model.withUnsafeBytes { raw in
            let interp = try Interpreter(model: try ModelFile(bytes: raw))
            try interp.setInput(0, input)
            interp.invoke()
            return interp.output(0)
        }
    }

    static func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? -1 }

    @Test(arguments: FixtureModelsFoldTests.models)
    func fixtureConvertsAndMatchesOnnxruntime(_ name: String) throws {
        let dir = FixtureModelsFoldTests.directory
        let base = dir.appendingPathComponent(String(name.dropLast(5))).path
        if let gap = Self.knownGaps.first(where: { name.hasPrefix($0.key) }) {
            withKnownIssue(Comment(rawValue: gap.value)) {
                _ = try Converter.convert(path: dir.appendingPathComponent(name).path)
            }
            return
        }
        let r = try Converter.convert(path: dir.appendingPathComponent(name).path)
        let x = try Self.npy(base + "_input.npy"), want = try Self.npy(base + "_output.npy")
        let got = try Self.run(r.model, input: x.data)
        #expect(got.count == want.data.count)
        let maxAbs = zip(got, want.data).map { abs($0 - $1) }.max() ?? .nan
        let scale = want.data.map { abs($0) }.max() ?? 1
        print("\(name): \(r.report.layers.count) layers, \(r.report.binaryLayers) binary; weights \(r.report.bytesBefore) -> \(r.report.bytesAfter) bytes; max |Δ| vs onnxruntime \(maxAbs) (outputs up to \(scale))")
        // Float32 tolerance: folded BatchNorm and scales round differently from onnxruntime.
        #expect(maxAbs <= 1e-5 * max(scale, 1), "\(name): max |Δ| \(maxAbs)")
        #expect(Self.argmax(got) == Self.argmax(want.data))

        // Classification: every Conv/Gemm/MatMul reading Sign(x) is binary, except where the
        // weights are not ±α per output channel (the official BiFSMN quantizer's convolutions).
        let (g0, _) = (try ONNXLoader.load(path: dir.appendingPathComponent(name).path), 0)
        let signFed = Set(g0.nodes.filter { n in
            ["Conv", "Gemm", "MatMul"].contains(n.opType) && g0.producers()[n.inputs[0]].map { g0.nodes[$0].opType == "Sign" } == true
        }.map(\.label))
        for l in r.report.layers where ["Conv", "Gemm", "MatMul"].contains(l.op) && signFed.contains(l.node) {
            if l.kernel != .binary {
                #expect(name.contains("official") && l.op == "Conv" && l.reason.contains("(out, in)"), "\(name): \(l.node) is \(l.kernel): \(l.reason)")
            }
        }
        #expect(r.report.binaryLayers > 0)
    }
}
