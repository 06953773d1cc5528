import EdgePackAudio
import EdgePackFormat
import Foundation
import Testing

@Suite struct FrontEndTests {
    /// Our log-mel features against torchaudio's (MelSpectrogram + AmplitudeToDB), computed by the
    /// fixture script in float64 and in torchaudio's default float32.
    @Test(arguments: ["yes", "chirp"], ["bifsmn", "alt", "plain"])
    func matchesTorchaudio(clip: String, config: String) throws {
        let audio = try AudioFixtures.wav(clip + ".wav")
        let spec = AudioFixtures.spec(config)
        let frontEnd = try LogMelFrontEnd(spec: spec)
        let ours = frontEnd.features(audio.samples)
        let reference = try AudioFixtures.npy("\(clip).\(config).npy")
        #expect(reference.shape == [spec.nMels, frontEnd.frameCount(length: audio.samples.count)])
        let gap = AudioFixtures.maxAbsDifference(ours, reference.data)
        print("front end \(clip)/\(config): max |ours - torchaudio float64| = \(gap) dB")
        #expect(gap <= 1e-3)
        if config == "bifsmn" {
            let ref32 = try AudioFixtures.npy("\(clip).bifsmn.f32.npy")
            let gap32 = AudioFixtures.maxAbsDifference(ours, ref32.data)
            print("front end \(clip)/bifsmn: max |ours - torchaudio float32| = \(gap32) dB")
            #expect(gap32 <= 1e-3)
        }
    }

    @Test func bifsmnClipIs32x32() throws {
        let frontEnd = try LogMelFrontEnd(spec: AudioFrontEndSpec())
        let audio = try AudioFixtures.wav("yes.wav")
        let features = frontEnd.clipFeatures(audio.samples)
        #expect(features.count == 32 * 32)
        #expect(AudioFrontEndSpec().framesPerClip == 32)
        // clipFeatures pads/cuts to 1 s: a longer input gives the same features as its first second.
        let longer = audio.samples + [Float](repeating: 0.25, count: 5000)
        #expect(frontEnd.clipFeatures(longer) == features)
    }

    /// The real FFT against a direct O(n^2) DFT evaluated with Foundation's sin/cos.
    @Test(arguments: [4, 8, 64, 2048])
    func realFFTMatchesDFT(size: Int) {
        var rng = SplitMix(seed: UInt64(size))
        let x = (0..<size).map { _ in rng.nextDouble() * 2 - 1 }
        let fft = RealFFT(size: size)
        var re = [Double](repeating: 0, count: size / 2 + 1)
        var im = re
        x.withUnsafeBufferPointer { input in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in fft.forward(input, re: r, im: i) }
            }
        }
        var worst = 0.0
        for k in 0...(size / 2) {
            var sr = 0.0, si = 0.0
            for t in 0..<size {
                let angle = -2 * Double.pi * Double(k * t % size) / Double(size)
                sr += x[t] * Foundation.cos(angle); si += x[t] * Foundation.sin(angle)
            }
            worst = max(worst, abs(sr - re[k]), abs(si - im[k]))
        }
        #expect(worst < 1e-10 * Double(size))
    }

    /// Windows against torch's documented formulas (periodic), evaluated with Foundation.
    @Test func windowsArePeriodic() {
        let n = 400
        let hann = AnalysisWindow.coefficients(.hann, length: n)
        let hamming = AnalysisWindow.coefficients(.hamming, length: n)
        for i in 0..<n {
            let c = Foundation.cos(2 * Double.pi * Double(i) / Double(n))
            #expect(abs(hann[i] - (0.5 - 0.5 * c)) < 1e-14)
            #expect(abs(hamming[i] - (0.54 - 0.46 * c)) < 1e-14)
        }
        #expect(AnalysisWindow.coefficients(.rectangular, length: 5) == [1, 1, 1, 1, 1])
        let padded = AnalysisWindow.padded(.hann, winLength: 400, nFFT: 512)
        #expect(padded[55] == 0 && padded[56] == hann[0] && padded[57] == hann[1] && padded[456] == 0)
    }

    /// HTK and Slaney scales round-trip, and hit the published anchor points.
    @Test func melScales() {
        #expect(abs(MelFilterbank.hzToMel(1000, .slaney) - 15) < 1e-12)
        #expect(abs(MelFilterbank.hzToMel(700, .htk) - 2595 * Foundation.log10(2)) < 1e-9)
        for hz in [0.0, 123.0, 999.0, 1000.0, 4321.0, 8000.0] {
            for scale in [MelScale.htk, .slaney] {
                let back = MelFilterbank.melToHz(MelFilterbank.hzToMel(hz, scale), scale)
                #expect(abs(back - hz) < 1e-9 * max(1, hz))
            }
        }
    }

    @Test func rejectsImpossibleSpecs() {
        var s = AudioFrontEndSpec(); s.nFFT = 1000
        #expect(throws: FrontEndError.self) { try LogMelFrontEnd(spec: s) }
        s = AudioFrontEndSpec(); s.winLength = 4096
        #expect(throws: FrontEndError.self) { try LogMelFrontEnd(spec: s) }
        s = AudioFrontEndSpec(); s.fMax = 0
        #expect(throws: FrontEndError.self) { try LogMelFrontEnd(spec: s) }
        s = AudioFrontEndSpec(); s.hopLength = 0
        #expect(throws: FrontEndError.self) { try LogMelFrontEnd(spec: s) }
    }

    /// Signals shorter than the reflect padding (torch refuses them) still give finite features.
    @Test func shortSignalsStayFinite() throws {
        let frontEnd = try LogMelFrontEnd(spec: AudioFrontEndSpec())
        for n in [0, 1, 2, 100] {
            let f = frontEnd.features([Float](repeating: 0.1, count: n))
            #expect(f.count == 32 * (1 + n / 512))
            #expect(f.allSatisfy { $0.isFinite })
        }
    }
}

/// Small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
