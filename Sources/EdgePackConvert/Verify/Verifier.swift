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
    /// own arithmetic): argv = the model path's bytes in hex (a path need not be UTF-8), a JSON list of values to probe, then pairs of input .npy
    /// and output .npy paths. For each probed value (the input of a binarized Sign, found back
    /// through the converter's rewrites) and sample it prints a JSON line counting activations
    /// exactly 0 and within 1e-6 of 0.
    static let script = """
        import json, os, sys
        import numpy as np
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        model, probes = os.fsdecode(bytes.fromhex(sys.argv[1])), json.loads(sys.argv[2])
        found = {}
        if probes:
            import onnx
            m = onnx.load(model)
            made = {o: n for n in m.graph.node for o in n.output}
            def sign_input(v):
                for _ in range(64):
                    n = made.get(v)
                    if n is None: return None
                    if n.op_type == "Sign": return n.input[0]
                    if n.op_type in ("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Identity"): v = n.input[0]; continue
                    if n.op_type == "Add":
                        for u in n.input:
                            d = made.get(u)
                            if d is not None and d.op_type == "Sub" and made.get(d.input[0]) is not None and made[d.input[0]].op_type == "Sign":
                                return made[d.input[0]].input[0]
                    return None
            known = set(made) | {i.name for i in m.graph.input}
            for p in probes:
                v = p if p in known else (sign_input(p[:-len("/before_sign")]) if p.endswith("/before_sign") else None)
                if v is not None and v not in [o.name for o in m.graph.output]:
                    m.graph.output.append(onnx.helper.make_tensor_value_info(v, onnx.TensorProto.FLOAT, None))
                if v is not None: found[p] = v
            s = ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"])
        else:
            s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        name = s.get_inputs()[0].name
        outs = [o.name for o in s.get_outputs()]
        for k, (i, o) in enumerate(zip(sys.argv[3::2], sys.argv[4::2])):
            ys = s.run(None, {name: np.load(i).astype(np.float32)})
            np.save(o, np.ascontiguousarray(ys[0], dtype=np.float32))
            for p, v in found.items():
                a = np.abs(ys[outs.index(v)])
                print(json.dumps({"sample": k, "value": p, "count": int(a.size), "near": int((a <= 1e-6).sum()), "zeros": int((a == 0).sum())}))
        """

    /// The Python to use: $EDGEPACK_PYTHON, the project's .venv (Toolchain/setup-python), python3.
    public static func python() -> String {
        if let p = ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"], !p.isEmpty { return p }
        for candidate in [".venv/bin/python"] where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return "/usr/bin/env python3"
    }

    /// Reference outputs for each input, from onnxruntime.
    public static func onnxruntimeOutputs(onnx: String, inputs: [NPYArray], python: String = Verifier.python()) throws -> [NPYArray] {
        try onnxruntimeOutputs(onnx: onnx, inputs: inputs, probing: [], python: python).outputs
    }

    /// Reference outputs, and for each probed value (`binarizedInputs`) and sample how many of
    /// its activations lie at or near 0 in onnxruntime.
    public static func onnxruntimeOutputs(onnx: String, inputs: [NPYArray], probing: [String],
                                          python: String = Verifier.python()) throws -> (outputs: [NPYArray], nearZero: [NearZero]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgepack-verify-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptPath = dir.appendingPathComponent("ort_run.py").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let probes = String(data: try JSONSerialization.data(withJSONObject: probing), encoding: .utf8) ?? "[]"
        var args = [scriptPath, PathText.bytes(onnx).map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined(), probes]
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
        // The counts go to a file: a pipe left unread could fill while stderr is read.
        let outPath = dir.appendingPathComponent("counts.jsonl").path
        FileManager.default.createFile(atPath: outPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: outPath) else { throw Failure(description: "cannot write \(outPath)") }
        p.standardOutput = out
        do { try p.run() } catch { throw Failure(description: "cannot start \(python): \(error.localizedDescription)") }
        let errText = String(data: err.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        p.waitUntilExit()
        try? out.close()
        let outData = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
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
        return (outputs, NearZero.parse(outData))
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
