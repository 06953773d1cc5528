import EdgePackRuntime

/// One ground-truth word of a test stream.
public struct StreamLabel: Equatable {
    public var onsetSeconds: Double
    public var word: String
    public init(onsetSeconds: Double, word: String) { self.onsetSeconds = onsetSeconds; self.word = word }
}

/// A labels file line that is not `onset_seconds<TAB>word`.
public struct StreamLabelError: Error, Equatable {
    public let line: Int
    public let message: String
    public init(line: Int, message: String) { self.line = line; self.message = message }
    public var description: String { "labels line \(line): \(message)" }
}

/// Reads LABELS.tsv: one `onset_seconds<TAB>word` per line (spaces also separate), sorted or not;
/// empty lines and lines starting with '#' are skipped. A first line whose onset is not a number
/// is taken as a header.
public enum StreamLabels {
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(StreamLabelError) -> [StreamLabel] {
        var labels: [StreamLabel] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var fields: [[UInt8]] = [[]]
            for i in start..<end {
                let c = bytes[i]
                if c == 0x09 || c == 0x20 || c == 0x0D {
                    if !fields[fields.count - 1].isEmpty { fields.append([]) }
                } else {
                    fields[fields.count - 1].append(c)
                }
            }
            if fields[fields.count - 1].isEmpty { fields.removeLast() }
            start = end + 1
            if fields.isEmpty || fields[0].first == 0x23 { continue }            // blank or '#'
            guard let onset = parseDecimal(fields[0]) else {
                if labels.isEmpty && lineNumber == 1 { continue }                   // header
                throw StreamLabelError(line: lineNumber, message: "onset '\(text(fields[0]))' is not a number of seconds")
            }
            guard onset >= 0 else { throw StreamLabelError(line: lineNumber, message: "negative onset") }
            guard fields.count == 2 else {
                throw StreamLabelError(line: lineNumber, message: "expected 2 fields (onset, word), found \(fields.count)")
            }
            labels.append(StreamLabel(onsetSeconds: onset, word: text(fields[1])))
        }
        // Stable sort by onset (insertion sort keeps Embedded builds free of closures' generics).
        for i in 1..<max(labels.count, 1) {
            var j = i
            while j > 0 && labels[j - 1].onsetSeconds > labels[j].onsetSeconds {
                labels.swapAt(j - 1, j); j -= 1
            }
        }
        return labels
    }

    public static func parse(_ text: String) throws(StreamLabelError) -> [StreamLabel] {
        var copy = text
        // withUTF8 rethrows untyped errors: carry the typed one out in a Result.
        let result = copy.withUTF8 { (buffer) -> Result<[StreamLabel], StreamLabelError> in
            do throws(StreamLabelError) { return .success(try parse(UnsafeRawBufferPointer(buffer))) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    static func text(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes { s.unicodeScalars.append(Unicode.Scalar(b < 0x80 ? b : 0x3F)) }
        return s
    }

    /// Plain decimal `[+-]digits[.digits]` (no exponent): the integer of all digits divided once
    /// by a power of ten, so the result is correctly rounded for up to 15 digits.
    static func parseDecimal(_ s: [UInt8]) -> Double? {
        var i = 0
        var negative = false
        if i < s.count && (s[i] == 0x2B || s[i] == 0x2D) { negative = s[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false
        while i < s.count {
            let c = s[i]
            if c == 0x2E && !seenPoint { seenPoint = true }
            else if c >= 0x30 && c <= 0x39 {
                guard digits < 18 else { return nil }
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                digits += 1
                if seenPoint { fraction += 1 }
            } else { return nil }
            i += 1
        }
        guard digits > 0 else { return nil }
        var scale = 1.0
        for _ in 0..<fraction { scale *= 10 }
        let value = Double(mantissa) / scale
        return negative ? -value : value
    }
}

/// Counts of a streaming evaluation.
public struct StreamEvalResult: Equatable {
    public var groundTruth = 0
    /// Detections naming the word of an unmatched ground-truth onset within the tolerance.
    public var matched = 0
    /// Detections within the tolerance of an unmatched ground-truth onset of another word.
    public var wrongWord = 0
    /// Detections with no unmatched ground truth within the tolerance (includes repeats).
    public var falseDetections = 0
    public var audioSeconds = 0.0

    public var recall: Double { groundTruth > 0 ? Double(matched) / Double(groundTruth) : 0 }
    public var falseAlarmsPerHour: Double {
        audioSeconds > 0 ? Double(falseDetections) * 3600 / audioSeconds : 0
    }
    public var wrongWordsPerHour: Double { audioSeconds > 0 ? Double(wrongWord) * 3600 / audioSeconds : 0 }

    /// Human-readable report (identical text on host and device).
    public var report: String {
        "ground truth \(groundTruth), matched \(matched), wrong word \(wrongWord), false \(falseDetections)\n" +
        "recall " + formatFixed(recall * 100, decimals: 2) + " %, false alarms per hour " +
        formatFixed(falseAlarmsPerHour, decimals: 2) + " (audio " + formatFixed(audioSeconds, decimals: 2) + " s)"
    }

    public var json: String {
        "{\"ground_truth\":\(groundTruth),\"matched\":\(matched),\"wrong_word\":\(wrongWord)," +
        "\"false\":\(falseDetections),\"recall\":" + jsonNumber(recall) +
        ",\"false_alarms_per_hour\":" + jsonNumber(falseAlarmsPerHour) +
        ",\"audio_seconds\":" + jsonNumber(audioSeconds, decimals: 3) + "}"
    }
}

/// TensorFlow streaming-accuracy convention: a detection at time t (the start of the 1 s window
/// it was found in) is compared with the ground-truth onsets in [t - tolerance, t + tolerance]
/// (750 ms), earliest first. Each ground-truth word is consumed by at most one detection.
public enum StreamEvaluator {
    public static let defaultTolerance = 0.75

    /// `detections` as (word, time in seconds), in stream order.
    public static func evaluate(labels: [StreamLabel], detections: [(word: String, seconds: Double)],
                                audioSeconds: Double, tolerance: Double = defaultTolerance) -> StreamEvalResult {
        var result = StreamEvalResult()
        result.groundTruth = labels.count
        result.audioSeconds = audioSeconds
        var used = [Bool](repeating: false, count: labels.count)
        for d in detections {
            var sameWord = -1, otherWord = -1
            for (i, label) in labels.enumerated() where !used[i] {
                if label.onsetSeconds > d.seconds + tolerance { break }
                if label.onsetSeconds < d.seconds - tolerance { continue }
                if label.word == d.word { sameWord = i; break }
                if otherWord < 0 { otherWord = i }
            }
            if sameWord >= 0 { used[sameWord] = true; result.matched += 1 }
            else if otherWord >= 0 { used[otherWord] = true; result.wrongWord += 1 }
            else { result.falseDetections += 1 }
        }
        return result
    }

    /// Detections as the spotter reports them, timed by the start of their best window.
    public static func evaluate(labels: [StreamLabel], detections: [Detection], audioSeconds: Double,
                                tolerance: Double = defaultTolerance) -> StreamEvalResult {
        var pairs: [(word: String, seconds: Double)] = []
        for d in detections { pairs.append((word: d.label, seconds: d.startSeconds)) }
        return evaluate(labels: labels, detections: pairs, audioSeconds: audioSeconds, tolerance: tolerance)
    }
}
