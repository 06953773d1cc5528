import EdgePackAudio
import Foundation
import Testing

// Rates and channel counts a WAV header states size the resampler's tables and the decode loops,
// so hostile values must be refused from the header alone, at once: before these checks a rate of
// 4294967295 aborted allocating 232 GB, and 2147483648 (an 80 KB file) took 4.5 GB and a minute.

@Suite struct WAVHostileHeaderTests {
    /// An 80 KB 16-bit mono file claiming `rate` and `channels`.
    static func file(rate: Int, channels: Int = 1, bits: Int = 16) -> [UInt8] {
        let data = [UInt8](repeating: 0x11, count: 80_000 - 80_000 % (channels * bits / 8))
        return WAVReaderTests.riff(WAVReaderTests.chunk("fmt ", WAVReaderTests.fmt(channels: channels, rate: rate, bits: bits)) +
                                   WAVReaderTests.chunk("data", data))
    }

    static func failure(_ bytes: [UInt8], resample: Bool = true) -> (WAVError?, Double) {
        let start = Date()
        var failure: WAVError? = nil
        do {
            _ = try bytes.withUnsafeBytes { raw throws(WAVError) in try WAVReader.decode(raw, requiredRate: 16000, resample: resample) }
        } catch let e as WAVError { failure = e } catch {}
        return (failure, Date().timeIntervalSince(start))
    }

    @Test(arguments: [0, 384_001, 2_147_483_648, 4_294_967_295])
    func ratesOutOfRangeAreRefused(rate: Int) {
        let (error, seconds) = Self.failure(Self.file(rate: rate))
        #expect(error == .badFormat("sample rate \(rate) Hz (1 Hz to 384000 Hz supported)"))
        #expect(seconds < 0.5)
    }

    @Test(arguments: [33, 255, 65535])
    func channelCountsOutOfRangeAreRefused(channels: Int) {
        let (error, _) = Self.failure(Self.file(rate: 16000, channels: channels, bits: 8))
        #expect(error == .badFormat("\(channels) channels (1 to 32 supported)"))
    }

    @Test func theExtremesOfTheRangeAreRead() throws {
        for (rate, channels) in [(1, 32), (384_000, 1)] {
            let audio = try Self.file(rate: rate, channels: channels).withUnsafeBytes { try WAVReader.decode($0) }
            #expect(audio.format.sampleRate == rate && audio.format.channels == channels)
        }
        // 384 kHz is resampled to 16 kHz (a 1/24 decimation) quickly.
        let start = Date()
        let audio = try Self.file(rate: 384_000).withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000, resample: true) }
        #expect(audio.samples.count == 40_000 / 24 + (40_000 % 24 == 0 ? 0 : 1))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// Rates within range that the resampler cannot serve are named as such (not "allow resampling").
    @Test(arguments: [
        (4, "upsampling by more than 16x is not supported"),
        (1001, "the rates reduce to 16000 filter phases, more than the 4096 supported"),
        (383_999, "the rates reduce to 16000 filter phases, more than the 4096 supported"),
    ])
    func unsupportedRatiosAreNamed(rate: Int, reason: String) {
        let (error, seconds) = Self.failure(Self.file(rate: rate))
        #expect(error == .resampling(found: rate, required: 16000, reason: reason))
        #expect(seconds < 0.5)
        if let error { print("rate \(rate): \(error.description)") }
    }

    @Test func resamplerRefusesHugeRatesWithoutTrapping() {
        for rate in [Int.max, Int.max / 3, 1 << 40, 2_147_483_648] {
            #expect(Resampler(inputRate: rate, outputRate: 16000) == nil)
            #expect(Resampler.refusal(inputRate: rate, outputRate: 16000) != nil)
            #expect(Resampler(inputRate: 16000, outputRate: rate) == nil)
        }
        #expect(Resampler(inputRate: 0, outputRate: 16000) == nil)
        #expect(Resampler(inputRate: -5, outputRate: 16000) == nil)
    }

    /// Over every rate the reader accepts, the largest filter the resampler agrees to build for a
    /// 16 kHz model stays within its table limit and builds in well under a second or two.
    @Test func largestAcceptedFilterIsSmall() throws {
        var worst = (rate: 0, taps: 0.0)
        for rate in WAVReader.sampleRates where Resampler.refusal(inputRate: rate, outputRate: 16000) == nil {
            var a = rate, b = 16000
            while b != 0 { (a, b) = (b, a % b) }
            let up = 16000 / a
            let cutoff = 0.5 * 0.945 * min(1.0, 16000 / Double(rate))
            let taps = Double(up) * (2 * (32 / (2 * cutoff)).rounded(.up) + 1)
            if taps > worst.taps { worst = (rate, taps) }
        }
        #expect(worst.taps <= Double(Resampler.maxTaps))
        let start = Date()
        _ = try #require(Resampler(inputRate: worst.rate, outputRate: 16000))
        let seconds = Date().timeIntervalSince(start)
        print("largest accepted resampler: \(worst.rate) Hz -> 16000 Hz, \(Int(worst.taps)) taps, built in \(seconds) s")
        #expect(seconds < 10)
    }
}
