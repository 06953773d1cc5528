import EdgePackFormat

/// One model input: the log-mel window of a 1 s clip of the stream.
public struct FeatureWindow {
    /// [n_mels, frames] mel-major, as the offline front end lays out a clip.
    public var features: [Float]
    public var nMels: Int
    public var frames: Int
    /// The clip's first stream sample and one past its last.
    public var startSample: Int64
    public var endSample: Int64
}

/// The streaming pipeline without the model: samples in, a feature window out every `stride`
/// hops (the caller runs the model on it and returns the posterior), detections out.
///
///     let spotter = try KeywordSpotter(spec: spec, detector: DetectorConfig())
///     spotter.push(samples, classify: { window in runModel(window.features) },
///                  onDetection: { event in print(event.label) })
public final class KeywordSpotter {
    public let spec: AudioFrontEndSpec
    public let extractor: StreamingFeatureExtractor
    public let detector: KeywordDetector
    /// Hops between model runs (1 = every frame; with hop 512 at 16 kHz, 32 ms).
    public let strideFrames: Int
    /// Windows handed to `classify` so far.
    public private(set) var windowsClassified: Int64 = 0
    private var window: FeatureWindow
    private var scratch: [Float] = []

    /// `classCount`: the model's output size (default: the number of labels in `spec`).
    public init(spec: AudioFrontEndSpec, detector config: DetectorConfig, strideFrames: Int = 1,
                classCount: Int? = nil) throws(FrontEndError) {
        guard strideFrames >= 1 else { throw FrontEndError("stride must be at least one hop") }
        self.spec = spec
        extractor = try StreamingFeatureExtractor(spec: spec)
        self.strideFrames = strideFrames
        var ignored: [Int] = []
        if spec.silenceLabel >= 0 { ignored.append(spec.silenceLabel) }
        if spec.unknownLabel >= 0 { ignored.append(spec.unknownLabel) }
        detector = KeywordDetector(classCount: max(classCount ?? spec.labels.count, 1), labels: spec.labels,
                                   ignoredClasses: ignored, sampleRate: spec.sampleRate, config: config)
        let f = extractor.framesPerWindow
        window = FeatureWindow(features: [Float](repeating: 0, count: spec.nMels * f),
                               nMels: spec.nMels, frames: f, startSample: 0, endSample: 0)
    }

    /// Seconds of audio pushed so far.
    public var secondsProcessed: Double { Double(extractor.samplesSeen) / Double(spec.sampleRate) }

    /// Feeds samples in [-1, 1]. `classify` gets each due window and returns its posterior
    /// (softmax probabilities in label order); `onDetection` gets each event.
    public func push(_ samples: UnsafeBufferPointer<Float>,
                     classify: (FeatureWindow) -> [Float],
                     onDetection: (Detection) -> Void) {
        extractor.push(samples) { frame in
            guard extractor.windowReady else { return }
            let first = frame + 1 - Int64(extractor.framesPerWindow)
            guard first % Int64(strideFrames) == 0 else { return }
            window.features.withUnsafeMutableBufferPointer { extractor.window(into: $0) }
            window.startSample = first * Int64(spec.hopLength)
            window.endSample = window.startSample + Int64(spec.clipSamples)
            windowsClassified += 1
            let posterior = classify(window)
            if let event = detector.push(posterior: posterior, startSample: window.startSample,
                                         endSample: window.endSample) {
                onDetection(event)
            }
        }
    }

    public func push(_ samples: [Float], classify: (FeatureWindow) -> [Float], onDetection: (Detection) -> Void) {
        samples.withUnsafeBufferPointer { push($0, classify: classify, onDetection: onDetection) }
    }

    /// Feeds 16-bit PCM (scaled by 1/32768).
    public func push(int16 samples: UnsafeBufferPointer<Int16>,
                     classify: (FeatureWindow) -> [Float],
                     onDetection: (Detection) -> Void) {
        if scratch.count < samples.count { scratch = [Float](repeating: 0, count: samples.count) }
        for i in 0..<samples.count { scratch[i] = Float(samples[i]) / 32768 }
        scratch.withUnsafeBufferPointer { all in
            push(UnsafeBufferPointer(rebasing: all[0..<samples.count]), classify: classify, onDetection: onDetection)
        }
    }
}
