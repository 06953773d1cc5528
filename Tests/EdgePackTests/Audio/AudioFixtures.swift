import EdgePackAudio
import EdgePackFormat
import EdgePackRuntime
import Foundation

/// Paths and loaders for Tests/EdgePackTests/Fixtures/audio (written by
/// Datasets/tools/make_audio_fixtures.py from torchaudio and sox).
enum AudioFixtures {
    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.deletingLastPathComponent().appendingPathComponent("Fixtures/audio").path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    static func wav(_ name: String) throws -> WAVAudio {
        let b = try bytes(name)
        return try b.withUnsafeBytes { raw throws(WAVError) in try WAVReader.decode(raw) }
    }

    static func npy(_ name: String) throws -> NPYArray {
        let b = try bytes(name)
        return try b.withUnsafeBytes { raw throws(NPYError) in try NPY.parse(raw) }
    }

    /// Front-end settings of the fixture script's CONFIGS (same values, spelled out).
    static func spec(_ config: String) -> AudioFrontEndSpec {
        var s = AudioFrontEndSpec()            // defaults are the BiFSMN recipe
        switch config {
        case "alt":
            s.nFFT = 512; s.winLength = 400; s.hopLength = 160; s.window = .hamming
            s.padReflect = false; s.nMels = 40; s.fMin = 20; s.fMax = 7600; s.melScale = .slaney
            s.power = 1; s.normalized = false; s.dbMultiplier = 20; s.amin = 1e-5; s.topDB = 60
        case "plain":
            s.nFFT = 256; s.winLength = 256; s.hopLength = 128; s.window = .rectangular
            s.center = false; s.nMels = 20; s.fMin = 300; s.fMax = 6000
        default:
            break
        }
        return s
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var worst: Float = 0
        for i in 0..<a.count { worst = max(worst, abs(a[i] - b[i])) }
        return worst
    }
}
