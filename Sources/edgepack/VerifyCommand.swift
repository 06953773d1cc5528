import ArgumentParser
import EdgePackConvert
import EdgePackFormat
import EdgePackRuntime
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare a converted model with onnxruntime on the same inputs.",
        discussion: """
            onnxruntime runs in Python: $EDGEPACK_PYTHON, else .venv/bin/python (Toolchain/setup-python \
            creates it with numpy, onnx and onnxruntime), else python3. Exits 1 when a sample is outside \
            the tolerance or the top-1 class differs. A model converted with --rebinarize has its deviation \
            reported, not failed (its weights approximate the ONNX's by design).
            """)

    @Argument(help: "The ONNX model.") var onnx: String
    @Argument(help: "The converted model (.epk).") var model: String
    @Option(help: "Random inputs to compare on (ignored with -i).") var samples = 4
    @Option(name: .short, help: "Input .npy files instead of random inputs (repeatable).") var i: [String] = []
    @Option(help: "Seed of the random inputs.") var seed: UInt64 = 1
    @Option(help: "Allowed max |Δ|, relative to max(1, max |reference output|).") var tolerance: Float = 1e-4

    func run() throws {
        do {
            let file = try MappedFile(path: model)
            let bytes = withExtendedLifetime(file) { [UInt8](file.bytes) }
            let (shape, producer): ([Int], String) = try bytes.withUnsafeBytes { raw in
                let f = try ModelFile(bytes: raw)
                return (f.tensors[f.inputs[0]].shape, f.metadata.producer)
            }
            var inputs: [NPYArray] = []
            for path in i {
                let file = try MappedFile(path: path)
                inputs.append(try withExtendedLifetime(file) { try NPY.parse(file.bytes) })
            }
            if inputs.isEmpty { inputs = Verifier.randomInputs(shape: shape, count: samples, seed: seed) }
            let binarized = try Verifier.binarizedInputs(model: bytes)
            let (want, nearZero) = try Verifier.onnxruntimeOutputs(onnx: onnx, inputs: inputs, probing: binarized)
            let got = try Verifier.runtimeOutputs(model: bytes, inputs: inputs)
            let rebinarized = producer.hasSuffix(Converter.rebinarizeMark)
            if rebinarized {
                print("converted with --rebinarize: some weights are sign(w)·mean|w|, not the ONNX's, so the outputs deviate by design; the deviation per sample:")
            }
            var failed = 0
            for (k, (g, w)) in zip(got, want).enumerated() {
                let s = Verifier.compare(g, w.data, tolerance: tolerance)
                let ok = rebinarized || (s.withinTolerance && s.top1Agrees)
                if !ok { failed += 1 }
                print("sample \(k): max |Δ| \(s.maxAbsError)  max rel \(s.maxRelError)  (outputs up to \(s.scale))  top-1 \(s.top1Agrees ? "agrees" : "DIFFERS")\(ok ? "" : "  FAIL")")
                let near = nearZero.filter { $0.sample == k && $0.near > 0 }
                if !ok && !near.isEmpty {
                    let n = near.reduce(0) { $0 + $1.near }, z = near.reduce(0) { $0 + $1.zeros }
                    print("  \(n) activations within 1e-6 of 0 (\(z) exactly 0) at binarized inputs \(near.map { "'\($0.value)'" }.joined(separator: ", ")): "
                          + "a sign flip there (values within rounding of 0 can fall on either side of it; exact zeros give 0, as ONNX's Sign) explains a difference; it is not a conversion defect")
                }
            }
            for v in binarized {
                let rows = nearZero.filter { $0.value == v }
                guard !rows.isEmpty else { print("binarized input '\(v)': not found in the ONNX graph"); continue }
                print("binarized input '\(v)': \(rows.reduce(0) { $0 + $1.near }) of \(rows.reduce(0) { $0 + $1.count }) activations within 1e-6 of 0 (\(rows.reduce(0) { $0 + $1.zeros }) exactly 0) over the samples")
            }
            if rebinarized {
                let top1 = zip(got, want).filter { Verifier.compare($0, $1.data, tolerance: tolerance).top1Agrees }.count
                print("rebinarized model: \(top1)/\(got.count) samples with the same top-1 as onnxruntime (deviations reported, not failed)")
            } else {
                print("\(got.count - failed)/\(got.count) samples within tolerance \(tolerance) with the same top-1")
            }
            if failed > 0 { throw ExitCode(1) }
        } catch let e as ExitCode {
            throw e
        } catch let e as IOError {
            throw reportFailure(e.description)
        } catch {
            throw reportFailure("\(error)")
        }
    }
}
