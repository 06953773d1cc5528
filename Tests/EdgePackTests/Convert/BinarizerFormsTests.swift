import Foundation
import Testing
@testable import EdgePackConvert

/// Straight-through activation binarizers (Fixtures/binarizers, from Datasets/fixtures/binarizers.py,
/// each exported by TorchScript at opsets 13 and 17, by dynamo, and by torch's default call with
/// its weights in NAME.onnx.data): converted with every binarized layer binary and run against
/// onnxruntime's stored outputs; a surrogate of another value stays refused.
@Suite struct BinarizerFormsTests {
    static let directory = ConvertFixtures.directory.appendingPathComponent("binarizers")
    static let exact = ["clip", "hardtanh", "poly", "shiftpoly"].flatMap { f in ["ts13", "ts17", "dynamo", "default"].map { "\(f)_\($0)" } }

    @Test(arguments: exact)
    func convertsBinaryAndMatchesOnnxruntime(_ name: String) throws {
        let base = Self.directory.appendingPathComponent(name).path
        let r = try Converter.convert(path: base + ".onnx")
        // conv1, conv2 and fc1 read binarized activations; the stem and the classifier do not.
        let layers = r.report.layers.filter { ["Conv", "Gemm", "MatMul"].contains($0.op) }
        #expect(layers.count == 5)
        #expect(r.report.binaryLayers == 3, "\(name): \(r.report.table())")
        let signs = r.report.layers.filter { $0.op == "Sign" }
        #expect(signs.count == 3 && signs.allSatisfy { $0.reason.hasPrefix("straight-through binarizer") }, "\(signs.map(\.reason))")
        #expect(signs.allSatisfy { $0.reason.contains("NaN") == name.contains("poly") })
        try Self.agreesWithOnnxruntime(r, base: base, name: name)
    }

    /// Output of the converted model on the fixture's input against onnxruntime's stored output.
    static func agreesWithOnnxruntime(_ r: Converter.Result, base: String, name: String) throws {
        let x = try ConvertFixturesTests.npy(base + "_input.npy"), want = try ConvertFixturesTests.npy(base + "_output.npy")
        let got = try ConvertFixturesTests.run(r.model, input: x.data)
        let maxAbs = zip(got, want.data).map { abs($0 - $1) }.max() ?? .nan
        let scale = want.data.map { abs($0) }.max() ?? 1
        print("\(name): \(r.report.binaryLayers) layers binary, max |Δ| vs onnxruntime \(maxAbs) (outputs up to \(scale))")
        #expect(got.count == want.data.count)
        #expect(maxAbs <= 1e-5 * max(scale, 1), "\(name): max |Δ| \(maxAbs)")
    }

    /// A point-cloud net reading x[:, :3, :] of 6 channels, its clip binarizer between an
    /// Unsqueeze and a Squeeze: the slice becomes an exact 0/1 convolution, the binary conv reads
    /// the Sign moved past both layout ops.
    static let pointNets = ["ts13", "ts17", "dynamo", "default"].map { "pointslice_\($0)" }

    @Test(arguments: pointNets)
    func channelSliceAndLayoutOpsAroundTheSign(_ name: String) throws {
        let base = Self.directory.appendingPathComponent(name).path
        let r = try Converter.convert(path: base + ".onnx")
        #expect(r.report.layers.contains { $0.reason.hasPrefix("channel slice 0..<3") })
        #expect(r.report.binaryLayers == 1, "\(name): \(r.report.table())")
        try Self.agreesWithOnnxruntime(r, base: base, name: name)
    }

    /// sign(x) − p(x + b) + p(x + b) is not sign(x): the comparisons stay and are refused by name.
    @Test(arguments: ["ts13", "ts17", "dynamo", "default"])
    func surrogateOfAnotherValueIsRefused(_ exporter: String) throws {
        let path = Self.directory.appendingPathComponent("mismatch_\(exporter).onnx").path
        #expect {
            _ = try Converter.convert(path: path)
        } throws: { e in
            let text = "\(e)"
            return text.contains("Less") && text.contains("straight-through binarizer")
        }
    }
}
