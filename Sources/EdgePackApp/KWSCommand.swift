import CEdgePackSys
import EdgePackAudio
import EdgePackFormat
import EdgePackRuntime

/// Where `kws` reads audio from.
public enum AudioSource {
    case wav(String)
    case raw(String)          // "-" for standard input
    case alsa(String)
}

public struct KWSOptions {
    public var modelPath = ""
    public var source = AudioSource.raw("-")
    public var threshold: Float?
    public var json = false
    /// Threads the model runs on.
    public var threads = 1
    /// Model runs every `strideFrames` hops (default: every hop, 32 ms at the BiFSMN settings).
    public var strideFrames = 1
    public var averageCount: Int?
    public var refractorySeconds: Double?
    public var periodFrames = 512
    public var bufferFrames = 4096
    /// Stop after this much audio (ALSA runs until interrupted otherwise).
    public var maxSeconds: Double?
    /// `--exec`: started for each detection (DetectionCommand).
    public var execCommand: String?
    /// `--socket`: detections served to readers (DetectionSocket).
    public var socketPath: String?
    /// `--reconnect`: an ALSA device that is missing or lost is waited for instead of ending the run.
    public var reconnect = false
    public init() {}

    /// The ranges of the command line, also for options set in code: every value that sizes a
    /// buffer, a count or a time is checked before it is used.
    public func validate() throws(AppError) {
        if let t = threshold { try KWSCommandLine.threshold.check(Double(t)) }
        try KWSCommandLine.stride.check(strideFrames)
        if let a = averageCount { try KWSCommandLine.average.check(a) }
        if let r = refractorySeconds { try KWSCommandLine.refractory.check(r) }
        try KWSCommandLine.period.check(periodFrames)
        try KWSCommandLine.buffer.check(bufferFrames)
        if let s = maxSeconds { try KWSCommandLine.seconds.check(s) }
    }
}

public struct KWSSummary {
    /// Every detection, kept only when asked (`kws-eval` scores them): a service that runs for
    /// months keeps the count alone, so its memory stays flat.
    public var detections: [Detection] = []
    public var detectionCount = 0
    public var audioSeconds = 0.0
    public var windows: Int64 = 0
    public var modelSeconds = 0.0
    public var wallSeconds = 0.0
    public var overruns = 0
}

/// Text of one detection: the same on host and device.
public func detectionText(_ d: Detection, json: Bool) -> String {
    if json {
        return "{\"keyword\":" + jsonString(d.label) + ",\"class\":\(d.classIndex),\"score\":" + formatFixed(d.score, decimals: 4)
            + ",\"start\":" + formatFixed(d.startSeconds, decimals: 3) + ",\"end\":" + formatFixed(d.endSeconds, decimals: 3)
            + ",\"detected_at\":" + formatFixed(d.detectedAtSeconds, decimals: 3) + "}"
    }
    return padLeft(formatFixed(d.startSeconds, decimals: 3), 9) + " s – " + padLeft(formatFixed(d.endSeconds, decimals: 3), 9)
        + " s  " + padRight(terminalSafe(d.label), 8) + " score " + formatFixed(d.score, decimals: 3)
}

public func summaryText(_ s: KWSSummary, json: Bool) -> String {
    let rtf = s.audioSeconds > 0 ? s.wallSeconds / s.audioSeconds : 0
    if json {
        return "{\"summary\":{\"audio_seconds\":" + formatFixed(s.audioSeconds, decimals: 3) + ",\"windows\":\(s.windows)"
            + ",\"detections\":\(s.detectionCount),\"model_seconds\":" + formatFixed(s.modelSeconds, decimals: 3)
            + ",\"real_time_factor\":" + formatFixed(rtf, decimals: 4) + ",\"overruns\":\(s.overruns)}}"
    }
    return "processed " + formatFixed(s.audioSeconds, decimals: 2) + " s of audio, \(s.windows) windows, \(s.detectionCount) detections; "
        + "real-time factor " + formatFixed(rtf, decimals: 4) + " (model " + formatFixed(s.modelSeconds, decimals: 3) + " s), overruns \(s.overruns)"
}

/// Streams audio through the front end and the model; calls `onDetection` as events happen,
/// and stops early once `shouldStop` says so.
public func runKeywordSpotter(_ o: KWSOptions, shouldStop: @escaping () -> Bool = { false },
                              progressLabel: String? = nil, keepDetections: Bool = false, onDetection: @escaping (Detection) -> Void) throws(AppError) -> KWSSummary {
    try o.validate()
    let classifier = try ModelClassifier(path: o.modelPath, threads: o.threads)
    guard let spec = classifier.model.audio else {
        throw AppError("\(o.modelPath): the model has no audio front-end metadata (convert it with --audio settings)")
    }
    guard spec.labels.count == classifier.classCount else {
        throw AppError("\(o.modelPath): \(spec.labels.count) labels for \(classifier.classCount) model outputs")
    }
    // Precedence: a flag, then the operating point tuned for this model, then the runtime default.
    var config = DetectorConfig()
    if spec.detectorThreshold > 0 { config.threshold = spec.detectorThreshold }
    if spec.detectorAverage > 0 { config.averageCount = spec.detectorAverage }
    if spec.detectorRefractory > 0 { config.refractorySeconds = Double(spec.detectorRefractory) }
    if let t = o.threshold { config.threshold = t }
    if let a = o.averageCount { config.averageCount = a }   // KeywordDetector clamps minimumCount to it
    if let r = o.refractorySeconds { config.refractorySeconds = r }
    let spotter: KeywordSpotter
    do { spotter = try KeywordSpotter(spec: spec, detector: config, strideFrames: o.strideFrames, classCount: classifier.classCount) }
    catch { throw AppError("front end: " + error.description) }
    guard spotter.extractor.framesPerWindow * spec.nMels == classifier.inputCount else {
        throw AppError("\(o.modelPath): the front end makes \(spec.nMels)×\(spotter.extractor.framesPerWindow) features, the model takes \(classifier.inputCount) values")
    }
    var summary = KWSSummary()
    let wallStart = ep_monotonic_ns()
    let classify = { (w: FeatureWindow) -> [Float] in
        classifier.classify { buf in for i in 0..<buf.count { buf[i] = w.features[i] } }
    }
    let report = { (d: Detection) in
        summary.detectionCount += 1
        if keepDetections { summary.detections.append(d) }
        onDetection(d)
    }
    let limit = o.maxSeconds.map { Int64($0 * Double(spec.sampleRate)) } ?? Int64.max
    var pushed: Int64 = 0
    switch o.source {
    case .wav(let path):
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw AppError(error) }
        var stream: WAVStream
        do { stream = try WAVStream(file: file, requiredRate: spec.sampleRate) }
        catch { throw AppError(terminalSafe(path) + ": " + error.description) }
        // Read as a stream, in hop-sized chunks, as a capture device delivers them.
        var chunk: [Float] = []
        var progress = ProgressLine(progressLabel ?? "", total: progressLabel == nil ? 0 : min(limit, stream.expectedSamples))
        while pushed < limit && !shouldStop() {
            do { try stream.read(Int(min(Int64(spec.hopLength), limit - pushed)), into: &chunk) }
            catch { throw AppError(error) }
            if chunk.isEmpty { break }
            chunk.withUnsafeBufferPointer { spotter.push($0, classify: classify, onDetection: report) }
            pushed += Int64(chunk.count)
            progress.update(pushed)
        }
        progress.finish()
    case .raw(let path):
        let fd = try openStreamSource(path)
        let reader = RawPCMReader(fd: fd, channels: 1, chunkFrames: spec.hopLength)
        var chunk: [Float] = []
        while pushed < limit && !shouldStop() {
            let got: Int
            do { got = try reader.read(into: &chunk) } catch { throw AppError(error) }
            if got == 0 { break }
            let take = Int(min(Int64(got), limit - pushed))
            chunk.withUnsafeBufferPointer { spotter.push(UnsafeBufferPointer(rebasing: $0[0..<take]), classify: classify, onDetection: report) }
            pushed += Int64(take)
        }
        if fd > 0 { _ = ep_close(fd) }
    case .alsa(let device):
        var ac = ALSAConfig(device: device)
        ac.sampleRate = spec.sampleRate
        ac.periodFrames = o.periodFrames
        ac.bufferFrames = o.bufferFrames
        var capture: ALSACapture? = nil
        var chunk: [Float] = []
        var retrySeconds = 1
        while pushed < limit && !shouldStop() {
            guard let opened = capture else {
                do {
                    let c = try ALSACapture(config: ac)
                    if retrySeconds > 1 { Console.err("capturing from ALSA device '" + device + "'") }
                    capture = c
                    chunk = [Float](repeating: 0, count: c.periodFrames)
                } catch {
                    // A USB microphone that is not plugged in yet, or was pulled out, fails to open;
                    // a device that refuses the format or the rate will not change its mind.
                    guard o.reconnect && error.stage == .open else { throw AppError(error.description) }
                    Console.err(error.description + "; retrying in \(retrySeconds) s")
                    sleepUnlessStopped(seconds: retrySeconds, shouldStop)
                    retrySeconds = min(retrySeconds * 2, 30)
                }
                continue
            }
            do { try chunk.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Float>) throws(ALSAError) in try opened.read(into: b) } }
            catch {
                if !o.reconnect || shouldStop() { throw AppError(error.description) }
                Console.err(error.description + "; reopening it")
                summary.overruns += opened.overruns
                opened.close()
                capture = nil
                retrySeconds = 2        // said once it is back
                continue
            }
            let take = Int(min(Int64(chunk.count), limit - pushed))
            chunk.withUnsafeBufferPointer { spotter.push(UnsafeBufferPointer(rebasing: $0[0..<take]), classify: classify, onDetection: report) }
            pushed += Int64(take)
        }
        if let c = capture {
            summary.overruns += c.overruns
            c.close()
        }
    }
    summary.audioSeconds = spotter.secondsProcessed
    summary.windows = spotter.windowsClassified
    summary.modelSeconds = Double(classifier.nanoseconds) / 1e9
    summary.wallSeconds = Double(ep_monotonic_ns() - wallStart) / 1e9
    return summary
}

/// Sleeps in short steps, so that a stop asked for meanwhile is seen at once.
private func sleepUnlessStopped(seconds: Int, _ shouldStop: () -> Bool) {
    for _ in 0..<(seconds * 10) where !shouldStop() { ep_sleep_ms(100) }
}

/// `kws`: prints detections as they happen, passes them on (`--exec`, `--socket`), then prints a
/// summary. Stops when standard output fails, and on SIGTERM, SIGINT or SIGHUP (the summary is
/// printed and the status is 0: a service stopped by systemd ends cleanly).
public func kwsCommand(_ o: KWSOptions) throws(AppError) {
    try o.validate()
    let socket = try o.socketPath.map { (path: String) throws(AppError) in try DetectionSocket(path: path) }
    defer { socket?.close() }
    let command = o.execCommand.map { DetectionCommand(command: $0) }
    ep_stop_on_signals()
    var writeError: AppError? = nil
    let shouldStop = { () -> Bool in
        socket?.service()
        command?.reap()
        return writeError != nil || ep_stop_signal() != 0
    }
    let run: KWSSummary
    do {
        run = try runKeywordSpotter(o, shouldStop: shouldStop) { d in
            do throws(AppError) { try StandardOutput.line(detectionText(d, json: o.json)) } catch { writeError = error }
            socket?.send(detectionText(d, json: true))
            command?.start(d)
        }
    } catch {
        command?.finish()
        throw error
    }
    command?.finish()
    if let writeError { throw writeError }
    let signal = ep_stop_signal()
    if signal != 0 { Console.err("stopped by signal \(signal)") }
    socket?.send(summaryText(run, json: true))
    try StandardOutput.line(summaryText(run, json: o.json))
}

/// `kws --list-devices`: the capture devices by the card names `--alsa plughw:CARD=NAME,DEV=N` takes.
func listCaptureDevices() throws(AppError) -> ExitStatus {
    let devices: [ALSACaptureDevice]
    do { devices = try ALSACaptureDevice.all() } catch { throw AppError(error.description) }
    if devices.isEmpty {
        throw AppError("no ALSA capture device found: no sound card has one (is the microphone plugged in? /proc/asound/cards lists the cards)")
    }
    for d in devices {
        Console.out(padRight(d.pcmName, 32) + " " + terminalSafe(d.cardName) + ": " + terminalSafe(d.deviceName))
    }
    try StandardOutput.flush()
    return .success
}

/// `kws-eval`: detections on a long WAV scored against labelled onsets (750 ms tolerance).
public func kwsEvalCommand(_ o: KWSOptions, labelsPath: String) throws(AppError) {
    let labelFile: MappedFile
    do { labelFile = try MappedFile(path: labelsPath) } catch { throw AppError(error) }
    let labels: [StreamLabel]
    do { labels = try StreamLabels.parse(labelFile.bytes) } catch { throw AppError("\(labelsPath): " + error.description) }
    let summary = try runKeywordSpotter(o, progressLabel: "kws-eval", keepDetections: true) { _ in }
    let result = StreamEvaluator.evaluate(labels: labels, detections: summary.detections, audioSeconds: summary.audioSeconds)
    if o.json {
        for d in summary.detections { Console.out(detectionText(d, json: true)) }
        Console.out(result.json)
    } else {
        for d in summary.detections { Console.out(detectionText(d, json: false)) }
        Console.out(result.report)
    }
    try StandardOutput.flush()
}
