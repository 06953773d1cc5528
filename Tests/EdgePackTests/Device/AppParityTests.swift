import EdgePackApp
import EdgePackAudio
import EdgePackHost
import EdgePackPointCloud
import EdgePackRuntime
import Foundation
import Testing

// The streaming commands on the aarch64 build print what the host prints: keyword detections
// from a WAV and from an ALSA capture device (libasound's `file` plugin replays a raw file, so
// the real ALSA code runs, on the host and under qemu with Debian's arm64 libasound), and
// point-cloud classes over a stream of PCD frames.

let audioFixtures = repoRoot.appendingPathComponent("Tests/EdgePackTests/Fixtures/audio")

@Suite("Streaming commands agree between host and aarch64", .serialized)
struct AppParityTests {
    static let dir = temporaryDirectory()
    static let kwsModel: String = {
        let url = dir.appendingPathComponent("kws.epk")
        try! Data(SyntheticModels.randomKWS(seed: 11)).write(to: url)
        return url.path
    }()

    func hostDetections(_ source: AudioSource) throws -> [String] {
        var o = KWSOptions()
        o.modelPath = Self.kwsModel; o.source = source; o.threshold = 0.2; o.json = true; o.maxSeconds = 1.8
        return try runKeywordSpotter(o, keepDetections: true) { _ in }.detections.map { detectionText($0, json: true) }
    }

    /// A test HOME whose .asoundrc makes `epstream16k` replay the 16-bit samples of stream.wav.
    func alsaHome() throws -> String {
        let home = Self.dir.appendingPathComponent("alsa-home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let wav = try Data(contentsOf: audioFixtures.appendingPathComponent("stream.wav"))
        let audio = try wav.withUnsafeBytes { try WAVReader.decode($0) }
        var raw = Data()
        for s in audio.samples + [Float](repeating: 0, count: 16384) {
            let v = Int16(max(-32768, min(32767, (s * 32768).rounded())))
            withUnsafeBytes(of: v.littleEndian) { raw.append(contentsOf: $0) }
        }
        try raw.write(to: URL(fileURLWithPath: home + "/in.raw"))
        try """
        pcm.epstream { type file slave.pcm "null" file "/dev/null" infile "\(home)/in.raw" format "raw" }
        pcm.epstream16k { type plug slave { pcm "epstream" rate 16000 format S16_LE channels 1 } }
        """.write(toFile: home + "/.asoundrc", atomically: true, encoding: .utf8)
        return home
    }

    /// libasound reads ~/.asoundrc once per process, so the host CLI runs as its own process
    /// with HOME pointing at the test folder (the test process has loaded other configurations).
    @Test func alsaCaptureGivesTheWAVDetections() throws {
        let fromWAV = try hostDetections(.wav(audioFixtures.appendingPathComponent("stream.wav").path))
        #expect(!fromWAV.isEmpty, "threshold 0.2 should yield at least one detection on the test stream")
        let cli = repoRoot.appendingPathComponent(".build/debug/edgepack").path
        #expect(FileManager.default.isExecutableFile(atPath: cli), "\(cli) missing: swift build builds it")
        let (status, out, err) = try shell([cli, "kws", "--model", Self.kwsModel, "--alsa", "epstream16k", "--threshold", "0.2",
                                            "--json", "--seconds", "1.8"], environment: ["HOME": try alsaHome()])
        #expect(status == 0, "\(err)")
        #expect(Array(out.split(separator: "\n").map(String.init).dropLast()) == fromWAV)
    }

    @Test(.enabled(if: deviceAvailable)) func deviceKWSMatchesHost() throws {
        let wav = audioFixtures.appendingPathComponent("stream.wav").path
        let host = try hostDetections(.wav(wav))
        let (status, out, err) = try runDevice(["kws", "--model", Self.kwsModel, "--wav", wav, "--threshold", "0.2", "--json", "--seconds", "1.8"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(Array(lines.dropLast()) == host)
        #expect(lines.last?.hasPrefix("{\"summary\"") == true)
    }

    @Test(.enabled(if: deviceAvailable)) func deviceALSAMatchesHost() throws {
        let host = try hostDetections(.wav(audioFixtures.appendingPathComponent("stream.wav").path))
        let home = try alsaHome()
        let (status, out, err) = try shell([repoRoot.appendingPathComponent("Toolchain/run-device").path, "kws", "--model", Self.kwsModel,
                                            "--alsa", "epstream16k", "--threshold", "0.2", "--json", "--seconds", "1.8"],
                                           environment: ["HOME": home])
        #expect(status == 0, "\(err)")
        #expect(Array(out.split(separator: "\n").map(String.init).dropLast()) == host)
    }

    @Test func missingALSADeviceIsNamed() throws {
        do {
            _ = try hostDetections(.alsa("no_such_capture_device"))
            Issue.record("opened a device that does not exist")
        } catch let e as AppError {
            #expect(e.message.contains("no_such_capture_device"))
        }
    }

    /// Frames from the project's PCD writer in all three encodings, one broken frame between
    /// them: host and device print the same classes, and both skip the broken frame.
    @Test(.enabled(if: deviceAvailable)) func devicePointCloudStreamMatchesHost() throws {
        let model = Self.dir.appendingPathComponent("pn.epk")
        try Data(SyntheticModels.randomPointNet(seed: 5)).write(to: model)
        var rng = SplitMix64(seed: testSeed("pointcloud-stream"))
        var stream = Data()
        var frames: [[UInt8]] = []
        for (k, encoding) in [PCDEncoding.ascii, .binary, .binaryCompressed, .binary].enumerated() {
            let n = 40 + Int(rng.next() % 200)
            let xyz = rng.floats(n * 3, -2, 2)
            let bytes = PCDWriter.encodeXYZ(xyz, encoding: encoding)
            frames.append(bytes)
            stream.append(contentsOf: bytes)
            if k == 1 { stream.append(contentsOf: Array("VERSION 0.7\nFIELDS x y\nbroken\n".utf8)) }
        }
        let streamURL = Self.dir.appendingPathComponent("frames.pcdstream")
        try stream.write(to: streamURL)
        var o = PointCloudOptions(); o.modelPath = model.path; o.json = true
        let classifier = try PointCloudClassifier(o)
        let host = frames.enumerated().compactMap { k, f in f.withUnsafeBytes { classifier.classify($0, name: "frame \(k)") } }
        #expect(host.count == 4)
        let (status, out, err) = try runDevice(["pointcloud", "--model", model.path, "--stream", streamURL.path, "--json"])
        #expect(status == 2, "a skipped frame gives status 2")
        #expect(err.contains("skipped"))
        let lines = out.split(separator: "\n").map(String.init)
        #expect(Array(lines.dropLast()) == host)
        #expect(lines.last?.contains("\"frames\":4") == true)
    }
}
