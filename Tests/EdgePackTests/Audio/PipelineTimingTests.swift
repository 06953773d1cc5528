import EdgePackAudio
import EdgePackFormat
import Testing

/// The spotter, detector and evaluator agree on time: with an oracle classifier that is confident
/// exactly when a labelled onset lies in the first 0.3 s of the window (as in a training clip),
/// every word is detected once, at the right time, and evaluates as matched with no false alarms.
@Suite struct PipelineTimingTests {
    @Test func oracleDetectionsEvaluatePerfectly() throws {
        var spec = AudioFrontEndSpec()
        spec.labels = ["_silence_", "_unknown_", "yes", "no"]
        spec.silenceLabel = 0; spec.unknownLabel = 1
        let labelsText = "1.25\tyes\n3.9\tno\n6.0\tyes\n7.6\tno\n"
        let labels = try StreamLabels.parse(labelsText)
        let seconds = 10.0
        let spotter = try KeywordSpotter(spec: spec, detector: DetectorConfig(), strideFrames: 1)
        var events: [Detection] = []
        let audio = [Float](repeating: 0, count: Int(seconds * 16000))
        spotter.push(audio, classify: { window in
            let start = Double(window.startSample) / 16000
            for l in labels where l.onsetSeconds >= start && l.onsetSeconds <= start + 0.3 {
                return l.word == "yes" ? [0.05, 0.05, 0.9, 0] : [0.05, 0.05, 0, 0.9]
            }
            return [0.9, 0.1, 0, 0]
        }, onDetection: { events.append($0) })
        #expect(events.map { $0.label } == ["yes", "no", "yes", "no"])
        let result = StreamEvaluator.evaluate(labels: labels, detections: events, audioSeconds: spotter.secondsProcessed)
        #expect(result.matched == 4 && result.wrongWord == 0 && result.falseDetections == 0)
        #expect(result.recall == 1)
        for (e, l) in zip(events, labels) {
            // The localized window starts within the 0.3 s before the onset.
            #expect(e.startSeconds <= l.onsetSeconds && e.startSeconds >= l.onsetSeconds - 0.3)
            #expect(e.endSample - e.startSample == 16000)
        }
    }
}
