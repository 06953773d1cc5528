import EdgePackAudio
import Foundation
import Testing

/// ALSA capture through the real libasound: the `file` plugin turns a raw file into a capture
/// device (an .asoundrc in a test HOME). No hardware and no mocks.
@Suite(.serialized) struct ALSACaptureTests {
    static let home: String = {
        let dir = NSTemporaryDirectory() + "edgepack-alsa-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Opens `config` with HOME pointed at the test folder (libasound reads ~/.asoundrc while
    /// opening), then restores HOME for the rest of the process.
    static func open(_ config: ALSAConfig) throws(ALSAError) -> ALSACapture {
        let saved = getenv("HOME").map { String(cString: $0) }
        setenv("HOME", home, 1)
        defer { if let saved { setenv("HOME", saved, 1) } else { unsetenv("HOME") } }
        return try ALSACapture(config: config)
    }

    /// Writes `samples` (plus padding: the file plugin keeps returning stale data past the end)
    /// and an .asoundrc naming it.
    static func makeDevice(_ samples: [Int16]) throws {
        var data = Data()
        for s in samples + [Int16](repeating: 0, count: 8192) {
            withUnsafeBytes(of: s.littleEndian) { data.append(contentsOf: $0) }
        }
        let raw = home + "/in.raw"
        try data.write(to: URL(fileURLWithPath: raw))
        let rc = """
        pcm.filemic { type file slave.pcm "null" file "/dev/null" infile "\(raw)" format "raw" }
        pcm.filemic16k { type plug slave { pcm "filemic" rate 16000 format S16_LE channels 1 } }
        """
        try rc.write(toFile: home + "/.asoundrc", atomically: true, encoding: .utf8)
    }

    static func signal(_ n: Int) -> [Int16] {
        var rng = SplitMix(seed: 3)
        return (0..<n).map { i in i % 100 == 0 ? Int16.min : Int16(truncatingIfNeeded: Int64(bitPattern: rng.next()) >> 48) }
    }

    @Test(arguments: ["filemic16k", "filemic"])
    func capturesTheFileExactly(device: String) throws {
        let expected = Self.signal(5000)
        try Self.makeDevice(expected)
        var config = ALSAConfig(device: device)
        config.periodFrames = 256; config.bufferFrames = 1024
        let capture = try Self.open(config)
        #expect(capture.format == .s16 && capture.channels == 1)
        #expect(capture.periodFrames == 256 && capture.bufferFrames == 1024)
        var got: [Float] = []
        var chunk = [Float](repeating: 0, count: 700)        // not a multiple of the period
        while got.count < expected.count {
            try chunk.withUnsafeMutableBufferPointer { try capture.read(into: $0) }
            got += chunk
        }
        for i in 0..<expected.count where got[i] != Float(expected[i]) / 32768 {
            Issue.record("sample \(i): \(got[i]) != \(Float(expected[i]) / 32768)")
            break
        }
        #expect(capture.overruns == 0)
        capture.close()
    }

    @Test func missingDeviceIsAClearError() throws {
        try Self.makeDevice([0])
        for name in ["no_such_pcm_device", "hw:9,0"] {
            do {
                _ = try Self.open(ALSAConfig(device: name))
                Issue.record("opening \(name) should fail")
            } catch {
                #expect(error.stage == .open)
                #expect(error.description.hasPrefix("cannot open ALSA capture device '\(name)': "))
                print(error.description)
            }
        }
    }

    /// The capture feeds the streaming front end like any other source.
    @Test func captureFeedsTheSpotter() throws {
        let expected = Self.signal(16896)
        try Self.makeDevice(expected)
        let capture = try Self.open(ALSAConfig(device: "filemic16k"))
        var samples = [Float](repeating: 0, count: expected.count)
        try samples.withUnsafeMutableBufferPointer { try capture.read(into: $0) }
        let spotter = try KeywordSpotter(spec: .init(), detector: DetectorConfig())
        var windows = 0
        spotter.push(samples, classify: { _ in windows += 1; return [1] }, onDetection: { _ in })
        #expect(windows == 1)       // 16896 samples complete exactly the first 1 s window
    }
}
