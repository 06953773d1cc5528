import ArgumentParser
import EdgePackApp
import EdgePackConvert
import EdgePackRuntime
import Foundation

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an ONNX model exported from PyTorch into an EdgePack model (.epk).",
        discussion: """
            Weight quantizers are folded into weights; Conv/Gemm/MatMul layers that read Sign(x) and \
            whose weights are ±α per output channel run on binary kernels, every other layer on float \
            kernels (the report says why).
            """)

    @Argument(help: "ONNX model (opset 13–20; weights inside it or in files beside it, as external data).") var model: String
    @Option(name: .shortAndLong, help: "Output model file.") var output: String
    @Option(help: "Model name stored in the file (default: the ONNX file name).") var name: String?
    @Option(help: "Description stored in the file.") var describe: String = ""
    @Option(help: "Preprocessing metadata file ([audio], [point_cloud] or [image] sections of key = value lines); without it, the edgepack.* entries of the ONNX metadata_props are used.")
    var preprocessing: String?
    @Option(help: "Static shape of an input, NAME=1,3,32,32 (repeatable).") var inputShape: [String] = []
    @Option(help: "Size given to symbolic dimensions such as the batch.") var symbolicSize: Int = 1
    @Flag(help: "Load opsets outside 13–20 (with a warning).") var anyOpset = false
    @Flag(help: "Print the per-layer report.") var report = false
    @Flag(help: "Keep every binary layer's float output (no bit-packed outputs: a separate ChannelAffine and SignPack), for comparisons.")
    var noBitpackedOutputs = false
    @Flag(help: "Layers with a Sign input whose weights keep other magnitudes per output channel (e.g. sign(w) times per-element magnitudes) become binary with sign(w)·mean|w| per output channel: an approximation; the report gives each layer's relative weight error and `verify` the output deviation.")
    var rebinarize = false

    func run() throws {
        do {
            try refuseOverwritingInputs(output: output, inputs: [model] + (preprocessing.map { [$0] } ?? []))
        } catch { throw reportFailure(error) }
        do {
            var o = ConvertOptions()
            o.name = name
            o.description = describe
            o.load.defaultSymbolicDimension = symbolicSize
            o.load.allowUnsupportedOpset = anyOpset
            o.bitpackedOutputs = !noBitpackedOutputs
            o.rebinarize = rebinarize
            for spec in inputShape {
                let parts = spec.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationError("--input-shape wants NAME=d1,d2,..., got '\(spec)'") }
                let dims = parts[1].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard dims.count == parts[1].split(separator: ",").count else { throw ValidationError("bad dimensions in '\(spec)'") }
                o.load.inputShapes[String(parts[0])] = dims
            }
            if let p = preprocessing {
                let file = try MappedFile(path: p)
                guard let text = withExtendedLifetime(file, { String(validating: file.bytes, as: UTF8.self) }) else {
                    throw reportFailure("cannot read \(p): not UTF-8 text")
                }
                let c = try PreprocessingConfig.parse(text)
                o.audio = c.audio; o.pointCloud = c.pointCloud; o.image = c.image
                if c.isEmpty { FileHandleOutput.stderr("warning: \(p) has no [audio], [point_cloud] or [image] section") }
            }
            let result = try Converter.convert(path: model, options: o) { FileHandleOutput.stderr("convert: " + $0) }
            try writeFile(path: output, bytes: result.model)
            for w in result.report.warnings { FileHandleOutput.stderr("warning: " + w) }
            if report { print(result.report.table()) }
            let r = result.report
            switch r.preprocessingSource {
            case .options: FileHandleOutput.stderr("convert: preprocessing from \(preprocessing ?? "the options") (\(r.preprocessing))")
            case .onnxMetadata: FileHandleOutput.stderr("convert: preprocessing from the ONNX metadata_props (\(r.preprocessing))")
            case .none: FileHandleOutput.stderr("convert: no preprocessing stored (none given, no edgepack.* entries in the ONNX metadata_props)")
            }
            FileHandleOutput.stderr("convert: wrote \(output) (\(result.model.count) bytes; \(r.binaryLayers) binary layers, \(r.bitpackedOutputs) with bit-packed outputs; weights \(r.bytesBefore) -> \(r.bytesAfter) bytes)")
            if let s = r.rebinarizeSummary { FileHandleOutput.stderr("convert: " + s) }
            if let s = r.straightThroughSummary { FileHandleOutput.stderr("convert: " + s) }
            if r.unfusedAtZero > 0 {
                FileHandleOutput.stderr("convert: \(r.unfusedAtZero) binary layers keep a float result: their sign chain gives exactly the threshold at some dot product, where ONNX's Sign is 0")
            }
        } catch let e as ValidationError {
            throw e
        } catch let e as ExitCode {
            throw e
        } catch let e as IOError {
            throw reportFailure(e.description, status: e.action == "write" ? .output : .failure)
        } catch {
            throw reportFailure("\(error)")
        }
    }
}
