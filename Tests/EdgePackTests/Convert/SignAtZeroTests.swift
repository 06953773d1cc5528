import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing
@testable import EdgePackConvert

/// Exact zeros at a binarized input: ONNX's Sign(0) = 0 drops the term. SignPack packs 0 as +1
/// and marks it in a zero mask, from which the binary layers take the term out again. Checked
/// against onnxruntime, against the float-reference mode (float kernels reading the 0 itself),
/// and on the aarch64 build. `verify` also counts the activations at or near 0 per binarized input.
@Suite struct SignAtZeroTests {
    static func signs(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return rng.floats(n).map { $0 < 0 ? Float(-1) : 1 }
    }

    static func conv(_ x: String, _ w: String, _ y: String, pads: Int64 = 1, group: Int64 = 1) -> Onnx_NodeProto {
        ONNXBuild.node("Conv", [x, w], [y], name: y, attributes: [ONNXBuild.intsAttribute("pads", [pads, pads, pads, pads]),
                                                              ONNXBuild.intsAttribute("kernel_shape", [3, 3]), ONNXBuild.intAttribute("group", group)])
    }

    /// x → Sign → 3×3 Conv with ±1 weights: every conv output reads 36 signs.
    static func convModel() -> Onnx_ModelProto {
        let sign = ONNXBuild.node("Sign", ["x"], ["s"], name: "sign")
        return ONNXBuild.model(nodes: [sign, conv("s", "w", "y")], inputs: [ONNXBuild.value("x", [1, 4, 5, 5])], outputs: ["y"],
                               initializers: [ONNXBuild.tensor("w", [8, 4, 3, 3], signs(8 * 4 * 9, seed: 3))])
    }

    /// x → Relu → Sign → Conv → Relu → Sign → Conv: the second layer's input is 0 wherever the
    /// first one's dot product is ≤ 0, so the first layer's chain reaches the threshold and stays unfused.
    static func reluChainModel() -> Onnx_ModelProto {
        let nodes = [ONNXBuild.node("Relu", ["x"], ["r"]), ONNXBuild.node("Sign", ["r"], ["s"]), conv("s", "w1", "c1"),
                     ONNXBuild.node("Relu", ["c1"], ["r1"]), ONNXBuild.node("Sign", ["r1"], ["s1"]), conv("s1", "w2", "y")]
        return ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 4, 6, 6])], outputs: ["y"],
                               initializers: [ONNXBuild.tensor("w1", [8, 4, 3, 3], signs(8 * 4 * 9, seed: 4)),
                                              ONNXBuild.tensor("w2", [6, 8, 3, 3], signs(6 * 8 * 9, seed: 5))])
    }

    /// x → Relu → Sign → Gemm (no bias) → Sign → Gemm: zeros in dense rows, and a dot product of 0
    /// in the first layer gives a 0 sign.
    static func denseModel() -> Onnx_ModelProto {
        let transB = [ONNXBuild.intAttribute("transB", 1)]
        let nodes = [ONNXBuild.node("Relu", ["x"], ["r"]), ONNXBuild.node("Sign", ["r"], ["s"]),
                     ONNXBuild.node("Gemm", ["s", "w1"], ["d1"], attributes: transB), ONNXBuild.node("Sign", ["d1"], ["s1"]),
                     ONNXBuild.node("Gemm", ["s1", "w2"], ["y"], attributes: transB)]
        return ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 70])], outputs: ["y"],
                               initializers: [ONNXBuild.tensor("w1", [16, 70], signs(16 * 70, seed: 6)),
                                              ONNXBuild.tensor("w2", [5, 16], signs(5 * 16, seed: 7))])
    }

    /// x → Sign → depthwise 3×3 Conv (groups 8).
    static func depthwiseModel() -> Onnx_ModelProto {
        let sign = ONNXBuild.node("Sign", ["x"], ["s"], name: "sign")
        return ONNXBuild.model(nodes: [sign, conv("s", "w", "y", group: 8)], inputs: [ONNXBuild.value("x", [1, 8, 5, 5])],
                               outputs: ["y"], initializers: [ONNXBuild.tensor("w", [8, 1, 3, 3], signs(8 * 9, seed: 8))])
    }

    /// BatchNormalization over `c` channels with seeded statistics (never exactly 0 at a dot product, in practice).
    static func batchNorm(_ x: String, _ y: String, _ c: Int, seed: UInt64) -> (Onnx_NodeProto, [Onnx_TensorProto]) {
        var rng = SplitMix64(seed: seed)
        let names = ["scale", "bias", "mean", "var"].map { "\(y)_\($0)" }
        let values = [rng.floats(c, 0.5, 1.5), rng.floats(c, -1, 1), rng.floats(c, -3, 3), rng.floats(c, 0.5, 2)]
        return (ONNXBuild.node("BatchNormalization", [x] + names, [y], name: y),
                zip(names, values).map { ONNXBuild.tensor($0, [c], $1) })
    }

    /// x → Relu → Sign → Conv 70→96 (3×3, stride 2, two words a pixel) → BatchNorm → Sign → Conv:
    /// the first layer reads zeros and writes bit-packed signs (its chain never gives 0).
    static func fusedConvModel() -> Onnx_ModelProto {
        let (bn, stats) = batchNorm("c1", "b1", 96, seed: 11)
        let strided = ONNXBuild.node("Conv", ["s", "w1"], ["c1"], name: "c1", attributes: [
            ONNXBuild.intsAttribute("pads", [1, 1, 1, 1]), ONNXBuild.intsAttribute("kernel_shape", [3, 3]), ONNXBuild.intsAttribute("strides", [2, 2])])
        let nodes = [ONNXBuild.node("Relu", ["x"], ["r"]), ONNXBuild.node("Sign", ["r"], ["s"]), strided, bn,
                     ONNXBuild.node("Sign", ["b1"], ["s1"]), conv("s1", "w2", "y")]
        return ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 70, 7, 7])], outputs: ["y"],
                               initializers: stats + [ONNXBuild.tensor("w1", [96, 70, 3, 3], signs(96 * 70 * 9, seed: 12)),
                                                      ONNXBuild.tensor("w2", [8, 96, 3, 3], signs(8 * 96 * 9, seed: 13))])
    }

    /// The dense twin: Relu → Sign → Gemm 70→80 → BatchNorm → Sign → Gemm.
    static func fusedDenseModel() -> Onnx_ModelProto {
        let (bn, stats) = batchNorm("d1", "b1", 80, seed: 14)
        let transB = [ONNXBuild.intAttribute("transB", 1)]
        let nodes = [ONNXBuild.node("Relu", ["x"], ["r"]), ONNXBuild.node("Sign", ["r"], ["s"]),
                     ONNXBuild.node("Gemm", ["s", "w1"], ["d1"], attributes: transB), bn, ONNXBuild.node("Sign", ["b1"], ["s1"]),
                     ONNXBuild.node("Gemm", ["s1", "w2"], ["y"], attributes: transB)]
        return ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 70])], outputs: ["y"],
                               initializers: stats + [ONNXBuild.tensor("w1", [80, 70], signs(80 * 70, seed: 15)),
                                                      ONNXBuild.tensor("w2", [5, 80], signs(5 * 80, seed: 16))])
    }

    /// Each model, its input shape, its binary layers and how many of them write bit-packed signs.
    static let models: [String: (model: Onnx_ModelProto, input: [Int], binary: Int, fused: Int)] = [
        "conv": (convModel(), [1, 4, 5, 5], 1, 0), "reluChain": (reluChainModel(), [1, 4, 6, 6], 2, 0),
        "dense": (denseModel(), [1, 70], 2, 0), "depthwise": (depthwiseModel(), [1, 8, 5, 5], 1, 0),
        "fusedConv": (fusedConvModel(), [1, 70, 7, 7], 2, 1), "fusedDense": (fusedDenseModel(), [1, 70], 2, 1),
    ]
    static let names = ["conv", "reluChain", "dense", "depthwise", "fusedConv", "fusedDense"]

    /// A zero-free input, one with a few exact zeros, and (negative half) one that Relu makes half zeros.
    static func inputs(_ shape: [Int]) -> [NPYArray] {
        var clean = Verifier.randomInputs(shape: shape, count: 1, seed: 9)[0]
        clean.data = clean.data.map { $0 == 0 ? 0.5 : $0 }
        var few = clean
        for k in stride(from: 0, to: few.data.count, by: 13) { few.data[k] = 0 }
        var many = clean
        for k in many.data.indices where k % 3 == 0 { many.data[k] = 0 }
        return [clean, few, many]
    }

    func converted(_ name: String) throws -> (url: URL, result: Converter.Result) {
        let url = temporaryDirectory().appendingPathComponent("\(name).onnx")
        try ONNXBuild.bytes(Self.models[name]!.model).write(to: url)
        return (url, try Converter.convert(path: url.path))
    }

    @Test(arguments: names)
    func zerosContributeNothing(_ name: String) throws {
        let (url, r) = try converted(name)
        let spec = Self.models[name]!
        #expect(r.report.binaryLayers == spec.binary && r.report.bitpackedOutputs == spec.fused)
        #expect(r.report.zeroMasks == spec.binary - spec.fused, "every binary layer reading a SignPack reads its zero mask")
        let inputs = Self.inputs(spec.input)
        let got = try Verifier.runtimeOutputs(model: r.model, inputs: inputs)
        // The float-reference mode multiplies the 0 itself (no zero mask, no popcounts).
        for (k, x) in inputs.enumerated() {
            #expect(try runModel(r.model, inputs: [x.data], mode: .floatReference) == got[k], "sample \(k)")
        }
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("onnxruntime comparison skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv)")
            return
        }
        let want = try Verifier.onnxruntimeOutputs(onnx: url.path, inputs: inputs)
        for k in inputs.indices {
            let differing = zip(got[k], want[k].data).filter { $0 != $1 }.count
            #expect(differing == 0, "\(name) sample \(k): \(differing) of \(got[k].count) outputs differ from onnxruntime")
        }
    }

    /// Relu → Sign after a layer: its chain gives exactly 0 for every negative dot product, where
    /// ONNX's Sign is 0, so the layer keeps a float result and its SignPack writes a zero mask.
    @Test func chainReachingTheThresholdStaysUnfused() throws {
        let r = try converted("reluChain").result
        #expect(r.report.unfusedAtZero == 1 && r.report.bitpackedOutputs == 0)
        #expect(r.report.table().contains("1 binary layers keep a float result"))
    }

    @Test func zerosAreCountedNearZeroNamed() throws {
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv with onnxruntime)")
            return
        }
        let (url, r) = try converted("conv")
        let clean = Self.inputs([1, 4, 5, 5])[0]
        var zeros = clean
        for k in [0, 7, 31, 62, 99] { zeros.data[k] = 0 }
        zeros.data[12] = 4e-7
        let probes = try Verifier.binarizedInputs(model: r.model)
        #expect(probes == ["x"])
        let (want, near) = try Verifier.onnxruntimeOutputs(onnx: url.path, inputs: [clean, zeros], probing: probes)
        let got = try Verifier.runtimeOutputs(model: r.model, inputs: [clean, zeros])
        #expect(got == want.map(\.data))
        #expect(near.map(\.sample) == [0, 1])
        #expect(near[0].near == 0 && near[0].count == 100)
        #expect(near[1].near == 6 && near[1].zeros == 5)
    }

    /// The zero correction on the aarch64 build: the same output bits as the host.
    @Test(.enabled(if: deviceAvailable), arguments: names)
    func zerosGiveTheSameBitsOnDevice(_ name: String) throws {
        let r = try converted(name).result
        let dir = temporaryDirectory()
        var files: [URL] = []
        for (k, x) in Self.inputs(Self.models[name]!.input).enumerated() {
            files.append(dir.appendingPathComponent("x\(k).npy"))
            try Data(NPY.encode(x)).write(to: files[k])
        }
        try expectSameBitsOnDevice(r.model, inputs: files, name)
    }
}
