import EdgePackApp
@testable import EdgePackConvert
import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// `--threads N` splits layers into blocks of output pixels (or planes) that every thread computes
// with the one-thread code; outputs must be bit-identical to one thread. Layers are split however
// small they are here (minimumParallelWork 0), and each run checks that some layer was split, so
// a threshold or a pool that quietly runs everything on one thread fails the test.

@Suite("Threads give one thread's bits")
struct ThreadsTests {
    /// Output 0 of `bytes` on `inputs` with `threads` threads, and how many layers were split.
    func run(_ bytes: [UInt8], _ inputs: [[Float]], threads: Int) throws -> (out: [Float], split: Int) {
        try bytes.withUnsafeBytes { raw in
            let interp = try Interpreter(model: try ModelFile(bytes: raw), threads: threads, minimumParallelWork: 0)
            var outputs: [[Float]] = []
            // Twice on the same interpreter: workers are reused, not restarted. (The arena reuses
            // input bytes once read, so inputs are written again.)
            for _ in 0..<2 {
                for (i, x) in inputs.enumerated() { try interp.setInput(i, x) }
                interp.invoke()
                outputs.append(interp.output(0))
            }
            #expect(differing(outputs[0], outputs[1]) == 0, "second run differs")
            return (outputs[0], interp.splitRuns)
        }
    }

    func differing(_ a: [Float], _ b: [Float]) -> Int { BitpackedOutputTests().differing(a, b) }

    func expectSameBits(_ bytes: [UInt8], _ label: String, seed: UInt64, scale: Float = 2) throws {
        let model = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }
        var rng = SplitMix64(seed: seed)
        let inputs = model.inputs.map { rng.floats(model.tensors[$0].elementCount, -scale, scale) }
        let one = try run(bytes, inputs, threads: 1)
        #expect(one.split == 0)
        for threads in [2, 3] {
            let many = try run(bytes, inputs, threads: threads)
            #expect(many.split > 0, "\(label): no layer was split across \(threads) threads")
            let differ = differing(one.out, many.out)
            #expect(differ == 0, "\(label): \(differ) of \(one.out.count) outputs differ with \(threads) threads")
        }
    }

    @Test(arguments: ["kws_bifsmn", "pointcloud_bipointnet", "digits_resnet20"])
    func bundledModels(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: trainedDir.appendingPathComponent("\(name).epk")))
        // Log-mel inputs span tens of dB.
        try expectSameBits(bytes, name, seed: testSeed("threads-\(name)"), scale: name.hasPrefix("kws") ? 60 : 2)
    }

    /// Binary convs with 37 (dense tap rows), 70 and 130 (2 and 3 words) channels on odd sizes,
    /// every operator once, and bit-packed outputs over padded, strided windows.
    @Test func oddShapes() throws {
        let seed = testSeed("threads-odd")
        try expectSameBits(SyntheticModels.binaryConv(channels: 37, size: 13, seed: seed), "bconv 37 on 13²", seed: seed)
        try expectSameBits(SyntheticModels.binaryConv(channels: 70, size: 11, seed: seed), "bconv 70 on 11²", seed: seed)
        try expectSameBits(SyntheticModels.binaryConv(channels: 130, size: 7, seed: seed), "bconv 130 on 7²", seed: seed)
        try expectSameBits(SyntheticModels.allOps(seed: seed), "allops", seed: seed)
        var rng = SplitMix64(seed: seed)
        for (activation, cin) in [("prelu", 70), ("clip", 37)] {
            let chain = BitpackedOutputTests().paddedChain(activation, &rng, cin: cin)
            #expect(chain.fusedCount > 0)
            try expectSameBits(chain.fused, "bit-packed \(activation) \(cin)", seed: seed)
        }
        try expectSameBits(floatConvPool(seed: seed), "float conv 5→9 on 13×11, pool", seed: seed)
    }

    /// Float conv 5→9, 3×3 pad 1 on 13×11 (143 pixels: a part ends inside a GEMM panel), ReLU,
    /// then 3×3 stride-2 max pooling over the 9 planes.
    func floatConvPool(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "float-conv-pool")
        let x = b.addInput("x", shape: [1, 5, 13, 11])
        let w = b.addConstant("w", shape: [9, 5, 3, 3], floats: rng.floats(9 * 45, -0.5, 0.5))
        let bias = b.addConstant("b", shape: [9], floats: rng.floats(9, -0.1, 0.1))
        let y = b.addActivation("y", shape: [1, 9, 13, 11])
        var p = ConvParams(); p.padTop = 1; p.padLeft = 1; p.padBottom = 1; p.padRight = 1
        p.activation = FusedActivation(kind: .relu)
        b.addOperator(.conv2d, inputs: [x, w, bias], outputs: [y], options: .conv(p), name: "conv")
        let z = b.addActivation("z", shape: [1, 9, 6, 5])
        var pp = PoolParams(); pp.kernelH = 3; pp.kernelW = 3; pp.strideH = 2; pp.strideW = 2
        b.addOperator(.pool2d, inputs: [y], outputs: [z], options: .pool(pp), name: "pool")
        b.markOutput(z)
        return b.serialize()
    }

    /// By default only large layers are split: none of the keyword spotter's or the digits model's
    /// (they measured slower on two threads), the 3×3 conv 128→128 on 32² that the device test
    /// runs with two threads.
    @Test func defaultThresholdSplitsOnlyLargeLayers() throws {
        func splits(_ bytes: [UInt8]) throws -> Int {
            try bytes.withUnsafeBytes { raw in
                let interp = try Interpreter(model: try ModelFile(bytes: raw), threads: 2)
                interp.invoke()
                return interp.splitRuns
            }
        }
        for name in ["kws_bifsmn", "digits_resnet20"] {
            let n = try splits([UInt8](Data(contentsOf: trainedDir.appendingPathComponent("\(name).epk"))))
            #expect(n == 0, "\(name): \(n) layers split")
        }
        #expect(try splits(SyntheticModels.binaryConv(channels: 128, size: 32, seed: 1)) == 1)
    }

    @Test func threadCountsOutsideTheLimitAreRefused() {
        for bad in [0, -1, WorkerPool.limit + 1] {
            #expect(throws: RuntimeError.self) { _ = try WorkerPool(threads: bad) }
        }
        #expect(WorkerPool.onlineCores >= 1)
    }
}
