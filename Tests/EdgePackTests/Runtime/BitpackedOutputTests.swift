import EdgePackApp
@testable import EdgePackConvert
import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// Bit-packed outputs (a binary layer writing the sign bits its only reader wanted) must give
// exactly the bits of the unfused chain: layer with float output, ChannelAffine, SignPack. Each
// test runs the same graph converted both ways and compares outputs bit for bit; the last layer
// reads every packed bit (a flipped bit changes its dot product by 2 in every output channel).

@Suite("Bit-packed binary outputs")
struct BitpackedOutputTests {
    /// The chain under test, in the unfused form, then fused by the converter's pass.
    func bothWays(_ build: (ModelBuilder) -> Void) -> (unfused: [UInt8], fused: [UInt8], fusedCount: Int) {
        let b = ModelBuilder(name: "chain")
        build(b)
        let unfused = b.serialize()
        let n = FuseBitpackedOutputs.run(b).fused
        return (unfused, b.serialize(), n)
    }

    func expectSameBits(_ m: (unfused: [UInt8], fused: [UInt8], fusedCount: Int), inputs: [[Float]], fusedCount: Int) throws {
        #expect(m.fusedCount == fusedCount)
        for mode in [ExecutionMode.binary, .floatReference] {
            let want = try runModel(m.unfused, inputs: inputs, mode: mode)
            let got = try runModel(m.fused, inputs: inputs, mode: mode)
            #expect(differing(got, want) == 0, "\(mode): fused and unfused outputs differ")
        }
        // And the binary kernels agree with the float kernels on the fused graph.
        let binary = try runModel(m.fused, inputs: inputs), float = try runModel(m.fused, inputs: inputs, mode: .floatReference)
        #expect(differing(binary, float) == 0, "binary and float-reference outputs differ")
    }

    /// Values whose bits differ (all of them when the counts differ).
    func differing(_ a: [Float], _ b: [Float]) -> Int {
        a.count != b.count ? max(a.count, b.count) : zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
    }

    /// Per-channel values with every case the fold must get right: negative, zero and positive.
    func mixed(_ rng: inout SplitMix64, _ n: Int, _ lo: Float, _ hi: Float) -> [Float] {
        rng.floats(n, lo, hi).enumerated().map { i, v in i % 7 == 3 ? 0 : (i % 5 == 1 ? -v : v) }
    }

    static let cin = 70, side = 9

    /// Sign → binary 3×3 conv 70→130, stride 2, padding 1 (so edge pixels have missing taps),
    /// with `activation` → ChannelAffine → SignPack (threshold 0.05) → binary 1×1 conv 130→16.
    /// `cin` under 64 takes the dense-tap gather (BConvDenseTaps).
    func paddedChain(_ activationName: String, _ rng: inout SplitMix64, cin: Int = Self.cin) -> (unfused: [UInt8], fused: [UInt8], fusedCount: Int) {
        let activation: Activation = ["none": .none, "relu": .relu, "clip": .clip, "prelu": .prelu][activationName]!
        let mid = 130, s = Self.side
        return bothWays { b in
            let x = b.addInput("x", shape: [1, cin, s, s])
            let k1 = b.addActivation("k1", shape: [1, s, s, cin], dtype: .bit)
            b.addOperator(.signPack, inputs: [x], outputs: [k1], options: .signPack(channelsLast: true, threshold: 0), name: "sign1")
            let w1 = b.addPackedConstant("w1", shape: [mid, 3, 3, cin], words: packSigns(rng.signs(mid * 9 * cin), rowLength: cin))
            let sc1 = b.addConstant("scale1", shape: [mid], floats: mixed(&rng, mid, 0.01, 0.1))
            let bi1 = b.addConstant("bias1", shape: [mid], floats: rng.floats(mid, -1, 1))
            var inputs = [k1, w1, sc1, bi1]
            if activation == .prelu { inputs.append(b.addConstant("slope", shape: [mid], floats: rng.floats(mid, -0.5, 0.5))) }
            var p = ConvParams(); p.strideH = 2; p.strideW = 2; p.padTop = 1; p.padLeft = 1; p.padBottom = 1; p.padRight = 1
            p.activation = FusedActivation(kind: activation, clipMin: -0.3, clipMax: 0.4)
            let c1 = b.addActivation("c1", shape: [1, mid, 5, 5])
            b.addOperator(.binaryConv2d, inputs: inputs, outputs: [c1], options: .binaryConv(p, inputChannels: cin), name: "conv1")
            let asc = b.addConstant("bn_scale", shape: [mid], floats: mixed(&rng, mid, 0.5, 1.5))
            let abi = b.addConstant("bn_bias", shape: [mid], floats: rng.floats(mid, -0.3, 0.3))
            let af = b.addActivation("affine", shape: [1, mid, 5, 5])
            b.addOperator(.channelAffine, inputs: [c1, asc, abi], outputs: [af], options: .channelAffine, name: "bn")
            let k2 = b.addActivation("k2", shape: [1, 5, 5, mid], dtype: .bit)
            b.addOperator(.signPack, inputs: [af], outputs: [k2], options: .signPack(channelsLast: true, threshold: 0.05), name: "sign2")
            let w2 = b.addPackedConstant("w2", shape: [16, 1, 1, mid], words: packSigns(rng.signs(16 * mid), rowLength: mid))
            let y = b.addActivation("y", shape: [1, 16, 5, 5])
            b.addOperator(.binaryConv2d, inputs: [k2, w2, b.addConstant("scale2", shape: [16], floats: rng.floats(16, 0.5, 1)),
                                                  b.addConstant("bias2", shape: [16], floats: [Float](repeating: 0, count: 16))],
                          outputs: [y], options: .binaryConv(ConvParams(), inputChannels: mid), name: "conv2")
            b.markOutput(y)
        }
    }

    @Test(arguments: ["none", "relu", "clip", "prelu"])
    func paddedConvolutionChain(activationName: String) throws {
        var rng = SplitMix64(seed: testSeed("bitpacked-conv"))
        let m = paddedChain(activationName, &rng)
        for _ in 0..<3 { try expectSameBits(m, inputs: [rng.floats(Self.cin * Self.side * Self.side)], fusedCount: 1) }
        let narrow = paddedChain(activationName, &rng, cin: 12)
        for _ in 0..<3 { try expectSameBits(narrow, inputs: [rng.floats(12 * Self.side * Self.side)], fusedCount: 1) }
    }

    @Test(.enabled(if: deviceAvailable), arguments: ["relu", "prelu"])
    func aarch64BuildWritesTheSameBits(activationName: String) throws {
        var rng = SplitMix64(seed: testSeed("bitpacked-device"))
        let dir = temporaryDirectory()
        let modelURL = dir.appendingPathComponent("chain.epk"), inURL = dir.appendingPathComponent("x.npy")
        try Data(paddedChain(activationName, &rng).fused).write(to: modelURL)
        let shape = [1, Self.cin, Self.side, Self.side]
        try Data(NPY.encode(NPYArray(shape: shape, data: rng.floats(shape.reduce(1, *), -2, 2)))).write(to: inURL)
        let hostOut = dir.appendingPathComponent("host.npy"), deviceOut = dir.appendingPathComponent("device.npy")
        try runModel(try LoadedModel(path: modelURL.path), inputs: [(nil, inURL.path)], outputPath: hostOut.path)
        let (status, _, err) = try runDevice(["run", modelURL.path, "-i", inURL.path, "-o", deviceOut.path])
        #expect(status == 0, "device run failed: \(err)")
        #expect(try Data(contentsOf: hostOut) == Data(contentsOf: deviceOut), "host and device outputs differ")
    }

    @Test func denseChainWithoutAffine() throws {
        var rng = SplitMix64(seed: testSeed("bitpacked-dense"))
        let k = 200, mid = 100
        let m = bothWays { b in
            let x = b.addInput("x", shape: [1, k])
            let k1 = b.addActivation("k1", shape: [1, k], dtype: .bit)
            b.addOperator(.signPack, inputs: [x], outputs: [k1], options: .signPack(channelsLast: false, threshold: 0), name: "sign1")
            let w1 = b.addPackedConstant("w1", shape: [mid, k], words: packSigns(rng.signs(mid * k), rowLength: k))
            let slope = b.addConstant("slope", shape: [mid], floats: rng.floats(mid, -1, 1))
            let g1 = b.addActivation("g1", shape: [1, mid])
            b.addOperator(.binaryGemm, inputs: [k1, w1, b.addConstant("s1", shape: [mid], floats: mixed(&rng, mid, 0.01, 0.1)),
                                                b.addConstant("b1", shape: [mid], floats: rng.floats(mid, -2, 2)), slope],
                          outputs: [g1], options: .binaryGemm(FusedActivation(kind: .prelu)), name: "dense1")
            let k2 = b.addActivation("k2", shape: [1, mid], dtype: .bit)
            b.addOperator(.signPack, inputs: [g1], outputs: [k2], options: .signPack(channelsLast: false, threshold: -0.02), name: "sign2")
            let w2 = b.addPackedConstant("w2", shape: [16, mid], words: packSigns(rng.signs(16 * mid), rowLength: mid))
            let y = b.addActivation("y", shape: [1, 16])
            b.addOperator(.binaryGemm, inputs: [k2, w2, b.addConstant("s2", shape: [16], floats: rng.floats(16, 0.5, 1)),
                                                b.addConstant("b2", shape: [16], floats: [Float](repeating: 0, count: 16))],
                          outputs: [y], options: .binaryGemm(FusedActivation()), name: "dense2")
            b.markOutput(y)
        }
        for _ in 0..<5 { try expectSameBits(m, inputs: [rng.floats(k)], fusedCount: 1) }
    }

    @Test func floatResultReadTwiceIsNotFused() throws {
        var rng = SplitMix64(seed: 5)
        let m = bothWays { b in
            let x = b.addInput("x", shape: [1, 64])
            let k1 = b.addActivation("k1", shape: [1, 64], dtype: .bit)
            b.addOperator(.signPack, inputs: [x], outputs: [k1], options: .signPack(channelsLast: false, threshold: 0), name: "sign1")
            let g1 = b.addActivation("g1", shape: [1, 64])
            b.addOperator(.binaryGemm, inputs: [k1, b.addPackedConstant("w", shape: [64, 64], words: packSigns(rng.signs(64 * 64), rowLength: 64)),
                                                b.addConstant("s", shape: [64], floats: rng.floats(64, 0.1, 1)),
                                                b.addConstant("b", shape: [64], floats: rng.floats(64))],
                          outputs: [g1], options: .binaryGemm(FusedActivation()), name: "dense")
            let k2 = b.addActivation("k2", shape: [1, 64], dtype: .bit)
            b.addOperator(.signPack, inputs: [g1], outputs: [k2], options: .signPack(channelsLast: false, threshold: 0), name: "sign2")
            let y = b.addActivation("y", shape: [1, 64])
            b.addOperator(.add, inputs: [g1, x], outputs: [y], options: .add(FusedActivation()), name: "residual")
            b.markOutput(y)
        }
        #expect(m.fusedCount == 0)
    }

    @Test(arguments: ["kws_bifsmn", "pointcloud_bipointnet"])
    func bundledModelsGiveTheSameBitsFusedAndUnfused(name: String) throws {
        let path = trainedDir.appendingPathComponent("\(name).onnx").path
        var unfusedOptions = ConvertOptions()
        unfusedOptions.bitpackedOutputs = false
        let fused = try Converter.convert(path: path)
        let unfused = try Converter.convert(path: path, options: unfusedOptions)
        #expect(fused.report.bitpackedOutputs > 0 && unfused.report.bitpackedOutputs == 0)
        let shape = try fused.model.withUnsafeBytes { try Interpreter(model: ModelFile(bytes: $0)).inputShape(0) }
        var rng = SplitMix64(seed: testSeed("bitpacked-bundled-\(name)"))
        for _ in 0..<4 {
            var x = rng.floats(shape.reduce(1, *))
            if name.hasPrefix("kws") { x = x.map { $0 * 40 - 30 } }   // log-mel decibels
            try expectSameBits((unfused.model, fused.model, fused.report.bitpackedOutputs), inputs: [x],
                               fusedCount: fused.report.bitpackedOutputs)
        }
    }

    @Test func runtimeRefusesInconsistentMarks() throws {
        var rng = SplitMix64(seed: 9)
        func model(outputType: DType, postBias: Bool) -> [UInt8] {
            let b = ModelBuilder(name: "bad")
            let x = b.addInput("x", shape: [1, 64])
            let k1 = b.addActivation("k1", shape: [1, 64], dtype: .bit)
            b.addOperator(.signPack, inputs: [x], outputs: [k1], options: .signPack(channelsLast: false, threshold: 0), name: "sign1")
            let ps = b.addConstant("ps", shape: [64], floats: rng.floats(64))
            let pb = postBias ? b.addConstant("pb", shape: [64], floats: rng.floats(64)) : -1
            let y = b.addActivation("y", shape: [1, 64], dtype: outputType)
            b.addOperator(.binaryGemm, inputs: [k1, b.addPackedConstant("w", shape: [64, 64], words: packSigns(rng.signs(64 * 64), rowLength: 64)),
                                                b.addConstant("s", shape: [64], floats: rng.floats(64)),
                                                b.addConstant("b", shape: [64], floats: rng.floats(64)), -1, ps, pb],
                          outputs: [y], options: BinaryGemmOptions(bitpacked: BitpackedOutput(threshold: 0)), name: "dense")
            let z = b.addActivation("z", shape: [1, 8])
            b.addOperator(.binaryGemm, inputs: [y, b.addPackedConstant("w2", shape: [8, 64], words: packSigns(rng.signs(8 * 64), rowLength: 64)),
                                                b.addConstant("s2", shape: [8], floats: rng.floats(8)),
                                                b.addConstant("b2", shape: [8], floats: rng.floats(8))],
                          outputs: [z], options: .binaryGemm(FusedActivation()), name: "dense2")
            b.markOutput(z)
            return b.serialize()
        }
        func loadError(_ bytes: [UInt8]) -> String? {
            bytes.withUnsafeBytes { raw in
                do { _ = try Interpreter(model: try ModelFile(bytes: raw)); return nil } catch { return "\(error)" }
            }
        }
        #expect(loadError(model(outputType: .bit, postBias: true)) == nil)
        #expect(loadError(model(outputType: .float32, postBias: true))?.contains("expected bit") == true)
        #expect(loadError(model(outputType: .bit, postBias: false))?.contains("both be given or both absent") == true)
    }
}
