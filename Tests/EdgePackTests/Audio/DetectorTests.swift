import EdgePackAudio
import Testing

@Suite struct DetectorTests {
    static let labels = ["_silence_", "_unknown_", "yes", "no"]

    static func detector(_ configure: (inout DetectorConfig) -> Void = { _ in }) -> KeywordDetector {
        var c = DetectorConfig()
        c.averageCount = 4; c.minimumCount = 3; c.threshold = 0.6; c.refractorySeconds = 1.0
        configure(&c)
        return KeywordDetector(classCount: 4, labels: labels, ignoredClasses: [0, 1], sampleRate: 16000, config: c)
    }

    /// Feeds posteriors at a 512-sample stride; window i covers [512 i, 512 i + 16000).
    static func run(_ d: KeywordDetector, _ posteriors: [[Float]]) -> [(Int, Detection)] {
        var events: [(Int, Detection)] = []
        for (i, p) in posteriors.enumerated() {
            let start = Int64(i * 512)
            if let e = d.push(posterior: p, startSample: start, endSample: start + 16000) { events.append((i, e)) }
        }
        return events
    }

    @Test func silenceAndUnknownAreNeverReported() {
        let d = Self.detector()
        let p = Self.run(d, Array(repeating: [0.95, 0.05, 0, 0], count: 10) + Array(repeating: [0, 1, 0, 0], count: 10))
        #expect(p.isEmpty)
    }

    /// Average of the newest 4, needing 3 results: a keyword at 0.9 from the first window is
    /// reported at the third window (average 0.9 > 0.6), not before.
    @Test func minimumCountAndThreshold() {
        let d = Self.detector()
        let events = Self.run(d, Array(repeating: [0.05, 0.05, 0.9, 0], count: 3))
        #expect(events.count == 1)
        #expect(events.first?.0 == 2)
        #expect(events.first?.1.label == "yes" && events.first?.1.classIndex == 2)
        #expect(abs((events.first?.1.score ?? 0) - 0.9) < 1e-6)
        let quiet = Self.run(Self.detector(), Array(repeating: [0.45, 0.0, 0.55, 0], count: 10))
        #expect(quiet.isEmpty)        // top class below the threshold
    }

    /// Smoothing: one confident window among silence is averaged away.
    @Test func singleSpikeIsSmoothedAway() {
        let silence: [Float] = [1, 0, 0, 0]
        let events = Self.run(Self.detector(), [silence, silence, silence, [0, 0, 1, 0], silence, silence])
        #expect(events.isEmpty)       // (1 + 0 + 0 + 0) / 4 = 0.25 < 0.6
    }

    /// Refractory period of 1 s = 16000 samples = 31.25 strides: a keyword held for 100 windows
    /// is reported at window 2, then at the first window whose end is >= 16000 samples later
    /// (2 + 32 = 34), then 66, then 98.
    @Test func refractoryPeriod() {
        let events = Self.run(Self.detector(), Array(repeating: [0, 0, 0, 1], count: 100))
        #expect(events.map { $0.0 } == [2, 34, 66, 98])
        #expect(events.allSatisfy { $0.1.label == "no" })
    }

    /// The refractory period also holds across keywords (one utterance, one event).
    @Test func refractoryAcrossKeywords() {
        let yes: [Float] = [0, 0, 1, 0], no: [Float] = [0, 0, 0, 1]
        let events = Self.run(Self.detector(), Array(repeating: yes, count: 5) + Array(repeating: no, count: 10))
        #expect(events.map { $0.0 } == [2])
    }

    /// Event bounds: the averaged window with the highest score for the keyword.
    @Test func localizesTheBestWindow() {
        let d = Self.detector { $0.averageCount = 3; $0.minimumCount = 3 }
        let events = Self.run(d, [[0, 0, 0.7, 0.3], [0, 0, 0.95, 0.05], [0, 0, 0.8, 0.2]])
        #expect(events.count == 1)
        guard let e = events.first?.1 else { return }
        #expect(e.startSample == 512 && e.endSample == 512 + 16000)
        #expect(e.detectedAtSample == 1024 + 16000)
        #expect(e.startSeconds == 0.032 && e.endSeconds == 1.032)
    }

    /// Short posterior vectors are padded with zeros, never read out of bounds.
    @Test func shortPosteriors() {
        let d = Self.detector()
        for i in 0..<5 { _ = d.push(posterior: [0.1], startSample: Int64(i), endSample: Int64(i) + 10) }
    }
}
