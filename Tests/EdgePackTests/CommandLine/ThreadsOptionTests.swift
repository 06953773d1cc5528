import EdgePackApp
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// `--threads N` on every command that runs a model, host and device: one shared definition,
// validated like the other integer options (usage error, exit 64, naming the flag and value).

@Suite("--threads", .serialized)
struct ThreadsOptionTests {
    static let commands: [(CommandSpec, [String])] = [
        (RunCommandLine.spec, ["m.epk", "-i", "x.npy", "-o", "y.npy"]),
        (BenchCommandLine.spec, ["m.epk"]),
        (KWSCommandLine.spec, ["--model", "m.epk", "--wav", "a.wav"]),
        (KWSCommandLine.evalSpec, ["--model", "m.epk", "--wav", "a.wav", "--labels", "l.tsv"]),
        (PointCloudCommandLine.spec, ["--model", "m.epk", "--pcd", "a.pcd"]),
    ]

    @Test func everyModelCommandTakesItWithTheCoresAsDefault() throws {
        for (spec, args) in Self.commands {
            #expect(try ThreadsOption.count(try spec.parse(ArraySlice(args + ["--threads", "3"]))) == 3, "\(spec.name)")
            #expect(try ThreadsOption.count(try spec.parse(ArraySlice(args))) == WorkerPool.onlineCores, "\(spec.name)")
        }
        #expect(WorkerPool.onlineCores >= 1 && WorkerPool.onlineCores <= WorkerPool.limit)
    }

    @Test(arguments: [("0", "--threads must be between 1 and 64, got 0"), ("65", "--threads must be between 1 and 64, got 65"),
                      ("two", "--threads must be a whole number, got two"), ("1.5", "--threads must be a whole number, got 1.5")])
    func outOfRangeIsAUsageError(value: String, expected: String) {
        for (spec, args) in Self.commands {
            do {
                _ = try ThreadsOption.count(try spec.parse(ArraySlice(args + ["--threads", value])))
                Issue.record("\(spec.name) accepted --threads \(value)")
            } catch {
                #expect(error.message == expected, "\(spec.name)")
                #expect(error.status == .usage)
            }
        }
    }

    /// Both programs refuse a bad count before loading anything, with the parser's message.
    @Test func programsRefuseABadCount() throws {
        let model = trainedDir.appendingPathComponent("digits_resnet20.epk").path
        for program in Program.available {
            let (status, _, err) = try program.run(["bench", model, "--threads", "0"])
            #expect(status == 64, "\(program)")
            #expect(err.contains("--threads must be between 1 and 64, got 0"), "\(program): \(err)")
        }
    }

    /// The device program with two threads (qemu-user runs them as host threads) gives the host's
    /// one-thread bits on a binary 3×3 conv 128→128 on 32² (2.9M word operations: split by default).
    @Test(.enabled(if: deviceAvailable)) func deviceWithTwoThreadsMatchesHostWithOne() throws {
        let dir = temporaryDirectory()
        let seed = testSeed("device-threads")
        let modelURL = dir.appendingPathComponent("conv128.epk")
        try Data(SyntheticModels.binaryConv(channels: 128, size: 32, seed: seed)).write(to: modelURL)
        var rng = SplitMix64(seed: seed)
        let inURL = dir.appendingPathComponent("x.npy")
        try Data(NPY.encode(NPYArray(shape: [1, 128, 32, 32], data: rng.floats(128 * 32 * 32, -2, 2)))).write(to: inURL)
        let hostOut = dir.appendingPathComponent("host.npy"), deviceOut = dir.appendingPathComponent("device.npy")
        try runModel(try LoadedModel(path: modelURL.path), inputs: [(nil, inURL.path)], outputPath: hostOut.path, threads: 1)
        let (status, _, err) = try runDevice(["run", modelURL.path, "-i", inURL.path, "-o", deviceOut.path, "--threads", "2"])
        #expect(status == 0, "device run failed: \(err)")
        #expect(try Data(contentsOf: hostOut) == Data(contentsOf: deviceOut))
    }
}
