import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// The host program targets x86-64-v2 and chooses FMA instructions for the float kernels at run
// time (Sources/CEdgePackSys/fma.c), so it must run on an x86-64 CPU without AVX or FMA and give
// there the bits it gives natively. qemu-x86_64 emulating a Nehalem (SSE4.2 and POPCNT, no AVX,
// no FMA) stands in for that CPU: there every fused multiply-add is glibc's fmaf, natively an
// FMA3 instruction (on this machine's CPU; see fastPathMatchesTheCPU).

#if arch(x86_64)
let nehalemAvailable = which("qemu-x86_64")
#else
let nehalemAvailable = false
#endif

/// The CPU flags /proc/cpuinfo lists (the kernel's reading of CPUID), empty where there is none.
func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    return Set(line.split(separator: " ").map(String.init))
}

@Suite("host CLI on an x86-64 CPU without AVX or FMA")
struct PortableHostTests {
    func onNehalem(_ args: [String]) throws -> (Int32, String, String) {
        try shell(["qemu-x86_64", "-cpu", "Nehalem", Program.hostBinary] + args)
    }

    /// Runs `model` on one random input natively and under the emulated Nehalem; the output
    /// files must be equal byte for byte.
    func expectSameBitsOnNehalem(_ modelURL: URL, seed: UInt64, _ dir: URL) throws {
        let inURL = try writeRandomInput(for: modelURL, seed: seed, dir)
        let native = dir.appendingPathComponent("native.npy"), nehalem = dir.appendingPathComponent("nehalem.npy")
        let (s1, _, e1) = try Program.host.run(["run", modelURL.path, "-i", inURL.path, "-o", native.path])
        #expect(s1 == 0, "native run failed: \(e1)")
        let (s2, _, e2) = try onNehalem(["run", modelURL.path, "-i", inURL.path, "-o", nehalem.path])
        #expect(s2 == 0, "run under qemu-x86_64 -cpu Nehalem failed (status \(s2)): \(e2)")
        #expect(try Data(contentsOf: native) == Data(contentsOf: nehalem),
                "outputs differ natively and on Nehalem for \(modelURL.lastPathComponent)")
    }

    @Test(.enabled(if: nehalemAvailable), arguments: ["kws_bifsmn", "pointcloud_bipointnet", "digits_resnet20"])
    func bundledModelSameBits(name: String) throws {
        try expectSameBitsOnNehalem(trainedDir.appendingPathComponent("\(name).epk"), seed: testSeed("nehalem-\(name)"),
                                    temporaryDirectory())
    }

    /// Float convolution, depthwise and dense layers with their tails (sizes not multiples of 4 or 8).
    @Test(.enabled(if: nehalemAvailable), arguments: ["allops", "kws-random"])
    func syntheticModelSameBits(name: String) throws {
        let dir = temporaryDirectory()
        let seed = testSeed("nehalem-\(name)")
        try expectSameBitsOnNehalem(writeSyntheticModel(name, seed: seed, dir), seed: seed ^ 0x5A5A, dir)
    }

    /// The FMA copy of the loops is the one chosen where the CPU has FMA, and the fmaf copy on
    /// the emulated Nehalem, as `bench --json` reports it.
    @Test(.enabled(if: nehalemAvailable))
    func benchReportsTheChosenMultiplyAdd() throws {
        let model = trainedDir.appendingPathComponent("kws_bifsmn.epk").path
        let args = ["bench", model, "--iterations", "1", "--json"]
        let (s1, native, e1) = try Program.host.run(args)
        #expect(s1 == 0, "\(e1)")
        #expect(native.contains("\"fma_instructions\":\(cpuFlags().contains("fma"))"))
        let (s2, emulated, e2) = try onNehalem(args)
        #expect(s2 == 0, "\(e2)")
        #expect(emulated.contains("\"fma_instructions\":false"))
    }

    /// In this process: FMA instructions exactly when the kernel lists the CPU's fma flag
    /// (always on aarch64).
    @Test func fastPathMatchesTheCPU() {
        #if arch(x86_64)
        #expect(floatKernelsUseFMAInstructions == cpuFlags().contains("fma"))
        #elseif arch(arm64)
        #expect(floatKernelsUseFMAInstructions)
        #endif
    }
}
