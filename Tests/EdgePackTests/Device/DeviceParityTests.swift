import EdgePackApp
import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// The aarch64 build (Embedded Swift, Toolchain/build-device) run under qemu-aarch64 must give
// the same output bits as the host build. Float kernels use fused multiply-add in a fixed order
// and the runtime's own exp/log, so bit equality holds for float layers too; no tolerance.
// Toolchain/test builds the device program first and sets EDGEPACK_REQUIRE_DEVICE=1, so a
// missing binary fails there instead of skipping.

let deviceBinary = repoRoot.appendingPathComponent(".build/aarch64/edgepack-device").path
let requireDevice = ProcessInfo.processInfo.environment["EDGEPACK_REQUIRE_DEVICE"] == "1"
let deviceAvailable = FileManager.default.isExecutableFile(atPath: deviceBinary) && which("qemu-aarch64")

func runDevice(_ args: [String]) throws -> (Int32, String, String) {
    try shell([repoRoot.appendingPathComponent("Toolchain/run-device").path] + args)
}

@Suite("aarch64 build agrees with the host build")
struct DeviceParityTests {
    @Test func deviceProgramIsPresentWhenRequired() {
        if requireDevice { #expect(deviceAvailable, "\(deviceBinary) missing: run Toolchain/build-device") }
        else if !deviceAvailable { print("device parity tests skipped: \(deviceBinary) not built (run Toolchain/build-device)") }
    }

    @Test(.enabled(if: deviceAvailable), arguments: ["allops", "conv64", "dense1024", "kws-random"])
    func sameOutputBits(name: String) throws {
        let dir = temporaryDirectory()
        let seed = testSeed("device-\(name)")
        try expectSameOutputBits(writeSyntheticModel(name, seed: seed, dir), seed: seed ^ 0xABCD, dir)
    }

    /// The bundled ResNet: binary 3×3 convs over 8–32 channels (dense tap rows), float stem,
    /// pooling and 1×1 shortcuts, residual adds.
    @Test(.enabled(if: deviceAvailable))
    func bundledResNetSameOutputBits() throws {
        try expectSameOutputBits(trainedDir.appendingPathComponent("digits_resnet20.epk"), seed: testSeed("device-digits"),
                                 temporaryDirectory())
    }

    /// Runs `model` on one random input on the host and under qemu; the output files must be equal.
    func expectSameOutputBits(_ modelURL: URL, seed: UInt64, _ dir: URL) throws {
        let inURL = try writeRandomInput(for: modelURL, seed: seed, dir)
        let hostOut = dir.appendingPathComponent("host.npy"), deviceOut = dir.appendingPathComponent("device.npy")
        let loaded = try LoadedModel(path: modelURL.path)
        try runModel(loaded, inputs: [(nil, inURL.path)], outputPath: hostOut.path)
        let (status, _, err) = try runDevice(["run", modelURL.path, "-i", inURL.path, "-o", deviceOut.path])
        #expect(status == 0, "device run failed: \(err)")
        let a = try Data(contentsOf: hostOut), b = try Data(contentsOf: deviceOut)
        #expect(a == b, "host and device outputs differ for \(modelURL.lastPathComponent)")
    }

    @Test(.enabled(if: deviceAvailable))
    func inspectTextIsIdentical() throws {
        let dir = temporaryDirectory()
        let url = dir.appendingPathComponent("m.epk")
        try Data(SyntheticModels.allOps(seed: 2)).write(to: url)
        let loaded = try LoadedModel(path: url.path)
        let host = try inspectModel(loaded.model, json: false)
        let (status, out, _) = try runDevice(["inspect", url.path])
        #expect(status == 0)
        #expect(out == host + "\n")
    }

    @Test(.enabled(if: deviceAvailable))
    func deviceRejectsCorruptModelsWithAMessage() throws {
        let dir = temporaryDirectory()
        var bytes = SyntheticModels.allOps(seed: 2)
        bytes[bytes.count - 5] ^= 1
        let url = dir.appendingPathComponent("bad.epk")
        try Data(bytes).write(to: url)
        let (status, _, err) = try runDevice(["inspect", url.path])
        #expect(status == 1)
        #expect(err.contains("checksum mismatch"))
    }

    /// The binary GEMM's 4×4 tile on aarch64 (bgemm_neon.c's rows4) uses NEON xor, per-byte
    /// popcount and pairwise accumulation.
    @Test(.enabled(if: deviceAvailable && which("aarch64-linux-gnu-objdump")))
    func binaryGemmCompilesToNeonCnt() throws {
        let (status, out, _) = try shell(["aarch64-linux-gnu-objdump", "-d", "--no-show-raw-insn", deviceBinary])
        #expect(status == 0)
        var inKernel = false, lines: [String] = []
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix(">:") { inKernel = line.hasSuffix("<rows4>:") }
            else if inKernel { lines.append(String(line)) }
        }
        let cnt = lines.filter { $0.contains("\tcnt\t") && $0.contains(".16b") }
        let eor = lines.filter { $0.contains("\teor\t") && $0.contains(".16b") }
        let uadalp = lines.filter { $0.contains("\tuadalp\t") }
        print("rows4 on aarch64: \(lines.count) instructions, \(cnt.count) cnt.16b, \(eor.count) eor.16b, \(uadalp.count) uadalp; e.g.")
        for l in cnt.prefix(4) { print(l) }
        #expect(cnt.count >= 16)
        #expect(eor.count >= 16)
        #expect(uadalp.count >= 16)
    }
}

extension ModelFile {
    func `let`<T>(_ body: (ModelFile) -> T) -> T { body(self) }
}

/// dir/NAME.epk: the synthetic model NAME (SyntheticModels.build) from `seed`.
func writeSyntheticModel(_ name: String, seed: UInt64, _ dir: URL) throws -> URL {
    let url = dir.appendingPathComponent("\(name).epk")
    try Data(SyntheticModels.build(name, seed: seed)!).write(to: url)
    return url
}

/// dir/x.npy: uniform values in [-2, 2) of the shape of the model's first input.
func writeRandomInput(for modelURL: URL, seed: UInt64, _ dir: URL) throws -> URL {
    let shape = try Data(contentsOf: modelURL).withUnsafeBytes { try ModelFile(bytes: $0) }.let { m in m.tensors[m.inputs[0]].shape }
    var rng = SplitMix64(seed: seed)
    let inURL = dir.appendingPathComponent("x.npy")
    try Data(NPY.encode(NPYArray(shape: shape, data: rng.floats(shape.reduce(1, *), -2, 2)))).write(to: inURL)
    return inURL
}
