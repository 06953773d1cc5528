import EdgePackApp
import EdgePackConvert
import EdgePackFormat
import EdgePackRuntime
import Foundation
import Testing

// The trained models bundled in Datasets/trained: the committed .epk files are exactly what the
// converter makes from the committed ONNX files, they agree with onnxruntime, and the point-cloud
// model classifies the bundled sample frames as labelled.

let trainedDir = repoRoot.appendingPathComponent("Datasets/trained")
let preprocessingDir = repoRoot.appendingPathComponent("Datasets/preprocessing")

@Suite("Bundled trained models")
struct BundledModelsTests {
    func convertBundled(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: preprocessingDir.appendingPathComponent("\(name).conf"), encoding: .utf8)
        let config = try PreprocessingConfig.parse(text)
        var o = ConvertOptions()
        o.audio = config.audio; o.pointCloud = config.pointCloud; o.image = config.image
        return try Converter.convert(path: trainedDir.appendingPathComponent("\(name).onnx").path, options: o).model
    }

    @Test(arguments: ["kws_bifsmn", "pointcloud_bipointnet", "digits_resnet20"])
    func committedModelIsTheConversionOfTheCommittedONNX(name: String) throws {
        let committed = try [UInt8](Data(contentsOf: trainedDir.appendingPathComponent("\(name).epk")))
        #expect(try convertBundled(name) == committed, "regenerate with: edgepack convert Datasets/trained/\(name).onnx -o Datasets/trained/\(name).epk --preprocessing Datasets/preprocessing/\(name).conf")
    }

    @Test(arguments: [("kws_bifsmn", [1, 1, 32, 32]), ("pointcloud_bipointnet", [1, 3, 1024]), ("digits_resnet20", [1, 3, 32, 32])])
    func agreesWithOnnxruntime(name: String, shape: [Int]) throws {
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv with onnxruntime)")
            return
        }
        let onnx = trainedDir.appendingPathComponent("\(name).onnx").path
        let model = try convertBundled(name)
        var inputs = Verifier.randomInputs(shape: shape, count: 4, seed: 3)
        // Log-mel inputs live around -100...+40 dB, not ±1.
        if name.hasPrefix("kws") { for i in inputs.indices { inputs[i].data = inputs[i].data.map { $0 * 40 - 30 } } }
        let want = try Verifier.onnxruntimeOutputs(onnx: onnx, inputs: inputs)
        let got = try Verifier.runtimeOutputs(model: model, inputs: inputs)
        for (g, w) in zip(got, want) {
            let s = Verifier.compare(g, w.data, tolerance: 1e-3)
            print("\(name): max |Δ| \(s.maxAbsError), top-1 agrees \(s.top1Agrees)")
            #expect(s.withinTolerance && s.top1Agrees)
        }
    }

    @Test func samplePointCloudsAreClassifiedAsLabelled() throws {
        let samples = repoRoot.appendingPathComponent("Datasets/samples/pcd")
        let labels = try String(contentsOf: samples.appendingPathComponent("labels.tsv"), encoding: .utf8)
        var o = PointCloudOptions()
        o.modelPath = trainedDir.appendingPathComponent("pointcloud_bipointnet.epk").path
        o.top = 1
        let c = try PointCloudClassifier(o)
        var checked = 0
        for line in labels.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t").map(String.init)
            guard parts.count >= 2, parts[0].hasSuffix(".pcd") else { continue }
            let bytes = try Data(contentsOf: samples.appendingPathComponent(parts[0]))
            let text = bytes.withUnsafeBytes { c.classify($0, name: parts[0]) }
            #expect(text?.hasPrefix(parts[0] + ":  " + parts[1] + " ") == true, "\(text ?? "skipped") vs \(parts[1])")
            checked += 1
        }
        #expect(checked == 8)
    }
}
