import Foundation
import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// `edgepack verify`: runs the ONNX model in onnxruntime (through Python) and the .epk in the
/// runtime on the same inputs, and compares the outputs.
public enum Verifier {
    public struct Sample: Sendable {
        public var maxAbsError: Float
        public var maxRelError: Float
        /// Largest |reference output|, the scale the tolerance is relative to.
        public var scale: Float
        public var top1Agrees: Bool
        public var withinTolerance: Bool
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Python that evaluates the model with onnxruntime, graph optimizations off (the graph's
    /// own arithmetic): argv = model, then pairs of input .npy and output .npy paths.
    static let script = """
        import sys
        import numpy as np
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        s = ort.InferenceSession(sys.argv[1], so, providers=["CPUExecutionProvider"])
        name = s.get_inputs()[0].name
        for i, o in zip(sys.argv[2::2], sys.argv[3::2]):
            y = s.run(None, {name: np.load(i).astype(np.float32)})[0]
            np.save(o, np.ascontiguousarray(y, dtype=np.float32))
        """

    /// The Python to use: $EDGEPACK_PYTHON, the project's .venv (Toolchain/setup-python), python3.
    public static func python() -> String {
        if let p = ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"], !p.isEmpty { return p }
        for candidate in [".venv/bin/python"] where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return "/usr/bin/env python3"
    }

    /// Reference outputs for each input, from onnxruntime.
    public static func onnxruntimeOutputs(onnx: String, inputs: [NPYArray], python: String = Verifier.python()) throws -> [NPYArray] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgepack-verify-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptPath = dir.appendingPathComponent("ort_run.py").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        var args = [scriptPath, onnx]
        for (i, x) in inputs.enumerated() {
            let inPath = dir.appendingPathComponent("in\(i).npy").path
            try Data(NPY.encode(x)).write(to: URL(fileURLWithPath: inPath))
            args += [inPath, dir.appendingPathComponent("out\(i).npy").path]
        }
        let words = python.split(separator: " ").map(String.init)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: words[0])
        p.arguments = Array(words.dropFirst()) + args
        let err = Pipe()
        p.standardError = err
        do { try p.run() } catch { throw Failure(description: "cannot start \(python): \(error.localizedDescription)") }
        let errText = String(data: err.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "onnxruntime failed (\(python); create the environment with Toolchain/setup-python or set EDGEPACK_PYTHON):\n\(errText.suffix(2000))")
        }
        var outputs: [NPYArray] = []
        for i in 0..<inputs.count {
            let d = try Data(contentsOf: dir.appendingPathComponent("out\(i).npy"))
            let parsed: Result<NPYArray, NPYError> = d.withUnsafeBytes { raw in
                do throws(NPYError) { return .success(try NPY.parse(raw)) } catch { return .failure(error) }
            }
            switch parsed {
            case .success(let a): outputs.append(a)
            case .failure(let e): throw Failure(description: "onnxruntime output \(i): \(e.description)")
            }
        }
        return outputs
    }

    /// Output 0 of an .epk model for each input.
    public static func runtimeOutputs(model: [UInt8], inputs: [NPYArray]) throws -> [[Float]] {
        try model.withUnsafeBytes { raw in
            let interp = try Interpreter(model: try ModelFile(bytes: raw))
            return try inputs.map { x in
                try interp.setInput(0, x.data)
                interp.invoke()
                return interp.output(0)
            }
        }
    }

    /// Seeded uniform inputs in [-1, 1) of the model's input shape.
    public static func randomInputs(shape: [Int], count: Int, seed: UInt64) -> [NPYArray] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in NPYArray(shape: shape, data: rng.floats(shape.reduce(1, *))) }
    }

    /// Compares outputs; within tolerance when max |Δ| ≤ tolerance · max(1, max |reference|).
    public static func compare(_ got: [Float], _ want: [Float], tolerance: Float) -> Sample {
        let scale = want.map(\.magnitude).max() ?? 0
        var maxAbs: Float = got.count == want.count ? 0 : .infinity
        var maxRel: Float = 0
        for (a, b) in zip(got, want) {
            let d = (a - b).magnitude
            maxAbs = max(maxAbs, d.isNaN ? .infinity : d)
            maxRel = max(maxRel, d / max(b.magnitude, 1e-6))
        }
        func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] } ?? -1 }
        return Sample(maxAbsError: maxAbs, maxRelError: maxRel, scale: scale, top1Agrees: argmax(got) == argmax(want),
                      withinTolerance: maxAbs <= tolerance * max(1, scale))
    }
}
