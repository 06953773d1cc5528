import EdgePackAudio
import Foundation
import Testing

@Suite struct ResamplerTests {
    static func tone(_ hz: Double, rate: Int, seconds: Double, amplitude: Double = 0.5) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(amplitude * Foundation.sin(2 * Double.pi * hz * Double($0) / Double(rate))) }
    }

    /// In-band tones come out as the same tone sampled at the new rate (compared with the
    /// analytic signal, away from the edges).
    @Test(arguments: [(48000, 1000.0), (44100, 3000.0), (22050, 5500.0), (8000, 2500.0), (48000, 7000.0), (44100, 6800.0)])
    func passesInBandTones(inputRate: Int, hz: Double) throws {
        let r = try #require(Resampler(inputRate: inputRate, outputRate: 16000))
        let out = r.process(Self.tone(hz, rate: inputRate, seconds: 0.5))
        let expected = Self.tone(hz, rate: 16000, seconds: 0.5)
        #expect(out.count == expected.count)
        var worst: Float = 0
        for i in 200..<(min(out.count, expected.count) - 200) { worst = max(worst, abs(out[i] - expected[i])) }
        print("resample \(inputRate) Hz, \(hz) Hz tone: max error \(worst)")
        #expect(worst < 2e-3)      // -48 dB re the 0.5 amplitude; ripple of the 94.5 % band edge
    }

    /// Tones above the new Nyquist frequency are removed instead of aliasing into the band.
    @Test(arguments: [(48000, 9000.0), (48000, 12000.0), (44100, 15000.0)])
    func rejectsOutOfBandTones(inputRate: Int, hz: Double) throws {
        let r = try #require(Resampler(inputRate: inputRate, outputRate: 16000))
        let out = r.process(Self.tone(hz, rate: inputRate, seconds: 0.5))
        var energy: Double = 0
        for i in 200..<(out.count - 200) { energy += Double(out[i] * out[i]) }
        let rms = (energy / Double(out.count - 400)).squareRoot()
        print("resample \(inputRate) Hz, \(hz) Hz tone: residual rms \(rms)")
        #expect(rms < 0.5 / 2.0.squareRoot() * 1e-3)   // at least 60 dB down
    }

    @Test func wavAtAnotherRateIsResampledOnRequest() throws {
        // 0.1 s of 48 kHz 16-bit mono built by hand.
        let samples = Self.tone(440, rate: 48000, seconds: 0.1)
        var data: [UInt8] = []
        for s in samples { let v = UInt16(bitPattern: Int16((s * 32767).rounded())); data += [UInt8(v & 255), UInt8(v >> 8)] }
        let file = WAVReaderTests.riff(WAVReaderTests.chunk("fmt ", WAVReaderTests.fmt(rate: 48000)) + WAVReaderTests.chunk("data", data))
        let audio = try file.withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000, resample: true) }
        #expect(audio.format.sampleRate == 16000 && audio.samples.count == 1600)
        #expect(throws: WAVError.sampleRate(found: 48000, required: 16000)) {
            try file.withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000) }
        }
    }
}
