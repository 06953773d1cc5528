import EdgePackApp
import EdgePackAudio
import EdgePackHost
import EdgePackPointCloud
import EdgePackRuntime
import Foundation
import Testing

// `kws --wav` reads the file as a stream. Its samples are the whole-file decoder's, bit for bit,
// at the file's rate and resampled; its detections are those of the same audio as raw PCM (a
// stream since always); and its memory does not grow with the file's length.

@Suite("WAV files read as a stream", .serialized)
struct WAVStreamTests {
    static let dir = temporaryDirectory()

    static func pcm(_ n: Int, seed: UInt64) -> [Int16] {
        var rng = SplitMixRandom(seed: seed)
        return rng.floats(n, -0.5, 0.5).map { Int16(($0 * 32767).rounded()) }
    }

    @Test(arguments: [(44100, 16000), (8000, 16000), (48000, 16000), (16000, 22050)])
    func resamplerStreamGivesTheWholeSignalsSamples(rates: (Int, Int)) throws {
        let resampler = try #require(Resampler(inputRate: rates.0, outputRate: rates.1))
        var rng = SplitMixRandom(seed: UInt64(rates.0))
        let x = rng.floats(9001)
        let whole = resampler.process(x)
        for piece in [1, 97, 4096] {
            var stream = ResamplerStream(resampler), out: [Float] = []
            x.withUnsafeBufferPointer { all in
                for at in stride(from: 0, to: all.count, by: piece) {
                    stream.push(UnsafeBufferPointer(rebasing: all[at..<min(all.count, at + piece)]), into: &out)
                }
            }
            stream.finish(into: &out)
            #expect(out == whole, "\(rates.0) -> \(rates.1) Hz in pieces of \(piece)")
        }
    }

    @Test(arguments: [16000, 44100])
    func wavStreamGivesTheDecodersSamples(rate: Int) throws {
        let bytes = WAVReaderTests.build(rate: rate, samples: Self.pcm(3 * rate + 17, seed: 3))
        let url = Self.dir.appendingPathComponent("s\(rate).wav")
        try Data(bytes).write(to: url)
        let whole = try bytes.withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000, resample: true) }.samples
        var stream = try WAVStream(file: try MappedFile(path: url.path), requiredRate: 16000)
        var all: [Float] = [], chunk: [Float] = []
        repeat {
            try stream.read(160, into: &chunk)
            #expect(chunk.count <= 160)
            all += chunk
        } while !chunk.isEmpty
        #expect(all == whole)
    }

    /// A file cut short while it is read (a recording being rotated) ends the stream where it now
    /// ends: read through a mapping, the pages past the new end would raise SIGBUS.
    @Test func wavStreamStopsAtTheEndOfAFileThatShrinks() throws {
        let bytes = WAVReaderTests.build(rate: 16000, samples: Self.pcm(20000, seed: 5))
        let url = Self.dir.appendingPathComponent("shrinks.wav")
        try Data(bytes).write(to: url)
        let whole = try bytes.withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000) }.samples
        var stream = try WAVStream(file: try MappedFile(path: url.path), requiredRate: 16000)
        var all: [Float] = [], chunk: [Float] = []
        try stream.read(160, into: &chunk)
        all += chunk
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(bytes.count - 2 * 15000))  // 5,000 frames stay
        try handle.close()
        repeat {
            try stream.read(160, into: &chunk)
            all += chunk
        } while !chunk.isEmpty
        #expect(all == Array(whole[0..<5000]))
    }

    static let model: String = {
        let url = dir.appendingPathComponent("kws.epk")
        try! Data(SyntheticModels.randomKWS(seed: 11)).write(to: url)
        return url.path
    }()

    /// The most anonymous memory (heap, KiB) the host CLI's `kws` held, polled from /proc while it
    /// ran (peak RSS would mostly count the pages of the debug binary it touched), and its
    /// detection lines.
    func kws(_ source: [String]) throws -> (heap: Int, detections: [String]) {
        let process = Process()
        process.executableURL = repoRoot.appendingPathComponent(".build/debug/edgepack")
        process.arguments = ["kws", "--model", Self.model] + source + ["--threshold", "0.2", "--json"]
        let output = Self.dir.appendingPathComponent("kws-out.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        var heap = 0
        while process.isRunning {
            let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
            for line in status.split(separator: "\n") where line.hasPrefix("RssAnon:") {
                heap = max(heap, Int(line.split(separator: " ")[1]) ?? 0)
            }
            usleep(20_000)
        }
        #expect(process.terminationStatus == 0)
        let out = try String(contentsOf: output, encoding: .utf8)
        return (heap, out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("{\"summary\"") })
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func kwsWAVMatchesRawPCMAndKeepsMemoryFlat() throws {
        var wavRSS: [Int] = [], rawRSS: [Int] = []  // KiB
        for seconds in [4, 40] {
            let samples = Self.pcm(seconds * 16000, seed: 7)
            let wav = Self.dir.appendingPathComponent("\(seconds).wav"), raw = Self.dir.appendingPathComponent("\(seconds).raw")
            let bytes = WAVReaderTests.build(rate: 16000, samples: samples)
            try Data(bytes).write(to: wav)
            try Data(bytes[44...]).write(to: raw)   // the data chunk: 16-bit mono PCM after the 44-byte header
            let fromWAV = try kws(["--wav", wav.path]), fromRaw = try kws(["--raw", raw.path])
            #expect(!fromWAV.detections.isEmpty, "no detections to compare")
            #expect(fromWAV.detections == fromRaw.detections)
            wavRSS.append(fromWAV.heap)
            rawRSS.append(fromRaw.heap)
        }
        // The raw reader holds one chunk; what grows with it (detections kept for the summary) grows
        // for both. Decoded whole, 36 more seconds of WAV held 2.3 MB more samples and 1.2 MB more
        // mapped file; read as a stream, at most 256 KiB of the file stays in memory.
        let wavGrowth = wavRSS[1] - wavRSS[0], rawGrowth = rawRSS[1] - rawRSS[0]
        print("heap from 4 s to 40 s: kws --wav \(wavRSS) KiB, kws --raw \(rawRSS) KiB")
        #expect(wavGrowth <= rawGrowth + 512, "kws --wav grew by \(wavGrowth) KiB, kws --raw by \(rawGrowth) KiB")
    }
}
