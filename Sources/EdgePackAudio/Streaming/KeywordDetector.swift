/// Settings of the posterior smoothing and decision (TFLM micro_speech's RecognizeCommands
/// conventions: average recent scores, require a minimum number of results, threshold, suppress
/// repeats for a while).
public struct DetectorConfig: Equatable {
    /// Posterior vectors averaged (the newest k).
    public var averageCount = 6
    /// Fewer vectors than this in the average (stream start) never detect.
    public var minimumCount = 3
    /// Smoothed score the top class must exceed.
    public var threshold: Float = 0.7
    /// After a detection, no other detection (of any keyword) for this many seconds, so one
    /// utterance gives one event.
    public var refractorySeconds = 1.0
    public init() {}
}

/// A keyword found in the stream. Times are sample-accurate stream positions.
public struct Detection: Equatable {
    public var classIndex: Int
    public var label: String
    /// Smoothed posterior of the keyword when it was reported.
    public var score: Float
    /// The 1 s window (among those averaged) where the keyword scored highest: its first
    /// sample and one past its last sample.
    public var startSample: Int64
    public var endSample: Int64
    /// Stream position at which the detection was made (end of the newest window).
    public var detectedAtSample: Int64
    public var sampleRate: Int

    public init(classIndex: Int, label: String, score: Float, startSample: Int64, endSample: Int64,
                detectedAtSample: Int64, sampleRate: Int) {
        self.classIndex = classIndex; self.label = label; self.score = score
        self.startSample = startSample; self.endSample = endSample
        self.detectedAtSample = detectedAtSample; self.sampleRate = sampleRate
    }

    public var startSeconds: Double { Double(startSample) / Double(sampleRate) }
    public var endSeconds: Double { Double(endSample) / Double(sampleRate) }
    public var detectedAtSeconds: Double { Double(detectedAtSample) / Double(sampleRate) }
}

/// Turns a stream of posterior vectors (softmax outputs, one per analysed window) into keyword
/// events. Knows nothing of the model: only the class count, labels and which classes are never
/// reported (silence, unknown).
public final class KeywordDetector {
    public let config: DetectorConfig
    public let labels: [String]
    public let classCount: Int
    public let sampleRate: Int
    private var ignored: [Bool]
    private var history: [Float]              // averageCount x classCount ring
    private var starts: [Int64]
    private var ends: [Int64]
    private var stored = 0
    private var next = 0
    private var lastDetection: Int64? = nil
    private var sum: [Float]

    /// `ignoredClasses`: indices never reported (e.g. silence and unknown); out-of-range
    /// indices are skipped.
    public init(classCount: Int, labels: [String], ignoredClasses: [Int], sampleRate: Int, config: DetectorConfig) {
        self.classCount = max(1, classCount)
        self.labels = labels
        self.sampleRate = sampleRate
        var c = config
        c.averageCount = max(1, c.averageCount)
        c.minimumCount = max(1, min(c.minimumCount, c.averageCount))
        self.config = c
        ignored = [Bool](repeating: false, count: self.classCount)
        for i in ignoredClasses where i >= 0 && i < self.classCount { ignored[i] = true }
        history = [Float](repeating: 0, count: c.averageCount * self.classCount)
        starts = [Int64](repeating: 0, count: c.averageCount)
        ends = [Int64](repeating: 0, count: c.averageCount)
        sum = [Float](repeating: 0, count: self.classCount)
    }

    public func reset() { stored = 0; next = 0; lastDetection = nil }

    /// Adds the posterior of the window [startSample, endSample); returns a detection when the
    /// smoothed top class is a keyword above the threshold outside the refractory period.
    public func push(posterior: UnsafeBufferPointer<Float>, startSample: Int64, endSample: Int64) -> Detection? {
        let n = classCount
        let k = config.averageCount
        for c in 0..<n { history[next * n + c] = c < posterior.count ? posterior[c] : 0 }
        starts[next] = startSample
        ends[next] = endSample
        next = (next + 1) % k
        if stored < k { stored += 1 }
        guard stored >= config.minimumCount else { return nil }
        // Average oldest to newest (a fixed order keeps host and device sums identical).
        for c in 0..<n { sum[c] = 0 }
        let oldest = (next - stored + k) % k
        for i in 0..<stored {
            let slot = (oldest + i) % k
            for c in 0..<n { sum[c] += history[slot * n + c] }
        }
        var top = 0
        for c in 1..<max(n, 1) where sum[c] > sum[top] { top = c }
        let score = sum[top] / Float(stored)
        guard !ignored[top], score > config.threshold else { return nil }
        let refractory = Int64(config.refractorySeconds * Double(sampleRate))
        if let last = lastDetection, endSample - last < refractory { return nil }
        // Localize: the averaged window where this keyword scored highest (earliest on ties).
        var best = oldest
        for i in 0..<stored {
            let slot = (oldest + i) % k
            if history[slot * n + top] > history[best * n + top] { best = slot }
        }
        lastDetection = endSample
        let label = top < labels.count ? labels[top] : "class " + String(top)
        return Detection(classIndex: top, label: label, score: score, startSample: starts[best],
                         endSample: ends[best], detectedAtSample: endSample, sampleRate: sampleRate)
    }

    public func push(posterior: [Float], startSample: Int64, endSample: Int64) -> Detection? {
        posterior.withUnsafeBufferPointer { push(posterior: $0, startSample: startSample, endSample: endSample) }
    }
}
