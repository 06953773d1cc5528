import EdgePackAudio
import Testing

@Suite struct StreamEvalTests {
    @Test func parsesLabels() throws {
        let text = "onset_seconds\tword\r\n# comment\n\n4.6535\tyes\r\n1.0000\tno\n 12 go \n0.5\tup"
        let labels = try StreamLabels.parse(text)
        #expect(labels == [StreamLabel(onsetSeconds: 0.5, word: "up"), StreamLabel(onsetSeconds: 1, word: "no"),
                           StreamLabel(onsetSeconds: 4.6535, word: "yes"), StreamLabel(onsetSeconds: 12, word: "go")])
    }

    @Test func labelErrorsNameTheLine() {
        #expect(throws: StreamLabelError(line: 2, message: "onset 'x1' is not a number of seconds")) {
            try StreamLabels.parse("1.0\tyes\nx1\tno\n")
        }
        #expect(throws: StreamLabelError(line: 1, message: "expected 2 fields (onset, word), found 3")) {
            try StreamLabels.parse("1.0\tyes\tno\n")
        }
        #expect(throws: StreamLabelError(line: 1, message: "expected 2 fields (onset, word), found 1")) {
            try StreamLabels.parse("1.0\n")
        }
        #expect(throws: StreamLabelError(line: 1, message: "negative onset")) { try StreamLabels.parse("-1\tyes") }
    }

    /// Worked example (counts derived by hand from the 750 ms rule).
    @Test func countsMatchedWrongAndFalse() {
        let labels = [StreamLabel(onsetSeconds: 1, word: "yes"), StreamLabel(onsetSeconds: 4, word: "no"),
                      StreamLabel(onsetSeconds: 8, word: "stop"), StreamLabel(onsetSeconds: 12, word: "go")]
        let detections: [(word: String, seconds: Double)] = [
            ("yes", 0.6),     // matched: 0.4 s from "yes"
            ("yes", 0.9),     // false: that "yes" is already taken
            ("go", 4.5),      // wrong word: "no" is 0.5 s away
            ("stop", 9.0),    // false: 1.0 s from "stop" is outside the tolerance
            ("go", 12.75),    // matched: exactly 0.75 s counts
            ("no", 20),       // false
        ]
        let r = StreamEvaluator.evaluate(labels: labels, detections: detections, audioSeconds: 36)
        #expect(r.groundTruth == 4 && r.matched == 2 && r.wrongWord == 1 && r.falseDetections == 3)
        #expect(r.recall == 0.5)
        #expect(r.falseAlarmsPerHour == 300)
        #expect(r.report == "ground truth 4, matched 2, wrong word 1, false 3\nrecall 50.00 %, false alarms per hour 300.00 (audio 36.00 s)")
        #expect(r.json == "{\"ground_truth\":4,\"matched\":2,\"wrong_word\":1,\"false\":3,\"recall\":0.500000,\"false_alarms_per_hour\":300.000000,\"audio_seconds\":36.000}")
    }

    /// A detection prefers the same word when two onsets fall inside its tolerance.
    @Test func prefersTheSameWord() {
        let labels = [StreamLabel(onsetSeconds: 1.0, word: "no"), StreamLabel(onsetSeconds: 1.5, word: "yes")]
        let r = StreamEvaluator.evaluate(labels: labels, detections: [("yes", 1.2)], audioSeconds: 10)
        #expect(r.matched == 1 && r.wrongWord == 0)
    }

    @Test func detectionsAreTimedByTheirWindowStart() {
        let d = Detection(classIndex: 2, label: "yes", score: 0.9, startSample: 16000, endSample: 32000,
                          detectedAtSample: 40000, sampleRate: 16000)
        let r = StreamEvaluator.evaluate(labels: [StreamLabel(onsetSeconds: 1.7, word: "yes")], detections: [d],
                                         audioSeconds: 3)
        #expect(r.matched == 1)
    }
}
