/// `kws` and `kws-eval`: the keyword spotter's options, shared by both commands where they apply.
public enum KWSCommandLine {
    public static let model = OptionSpec(["model"], .text(default: nil), valueName: "MODEL.epk",
                                         help: "Keyword-spotting model (.epk with audio front-end metadata)", required: true)
    public static let wav = OptionSpec(["wav"], .text(default: nil), valueName: "FILE",
                                       help: "WAV file (PCM 8/16/24/32-bit or float, any channels; other rates are resampled)")
    public static let raw = OptionSpec(["raw"], .text(default: nil), valueName: "FILE",
                                       help: "Raw signed 16-bit little-endian mono PCM at the model's rate; - for stdin")
    public static let alsa = OptionSpec(["alsa"], .text(default: nil), valueName: "DEVICE",
                                        help: "ALSA capture device: default, plughw:CARD=Device,DEV=0, hw:1,0 ...")
    public static let longWAV = OptionSpec(["wav"], .text(default: nil), valueName: "LONG.wav", help: "Long WAV stream", required: true)
    public static let labels = OptionSpec(["labels"], .text(default: nil), valueName: "LABELS.tsv",
                                          help: "Labels TSV: onset seconds<TAB>word per line", required: true)
    public static let threshold = OptionSpec(["threshold"], .number(0...1, default: nil), valueName: "T",
                                             help: "Detection threshold on the smoothed posterior",
                                             defaultHelp: "the model's tuned value, else 0.7")
    public static let stride = OptionSpec(["stride"], .integer(1...100, default: 1), valueName: "N",
                                          help: "Run the model every N hops of the front end")
    public static let average = OptionSpec(["average"], .integer(1...100, default: nil), valueName: "N",
                                           help: "Posteriors averaged for smoothing", defaultHelp: "the model's, else 6")
    public static let refractory = OptionSpec(["refractory"], .number(0...3600, default: nil), valueName: "S",
                                              help: "Seconds after a detection during which none is reported",
                                              defaultHelp: "the model's, else 1")
    public static let period = OptionSpec(["period"], .integer(16...65536, default: 512), valueName: "FRAMES",
                                          help: "ALSA period in frames")
    public static let buffer = OptionSpec(["buffer"], .integer(32...1_048_576, default: 4096), valueName: "FRAMES",
                                          help: "ALSA buffer in frames, at least the period")
    public static let seconds = OptionSpec(["seconds"], .number(0...1_000_000_000, default: nil), valueName: "S",
                                           help: "Stop after this many seconds of audio", defaultHelp: "the whole input")
    public static let json = OptionSpec(["json"], .flag, help: "One JSON object per detection per line, then a summary.")
    public static let exec = OptionSpec(["exec"], .text(default: nil), valueName: "COMMAND",
                                        help: "Shell command started for each detection, without waiting for it; it finds EDGEPACK_KEYWORD, EDGEPACK_SCORE, EDGEPACK_TIME (stream seconds), EDGEPACK_START, EDGEPACK_END, EDGEPACK_CLASS and EDGEPACK_JSON in its environment, its standard output goes to standard error")
    public static let socket = OptionSpec(["socket"], .text(default: nil), valueName: "PATH",
                                          help: "Unix socket serving each detection as a JSON line, then the summary, to every connected reader (`socat - UNIX-CONNECT:PATH`); readers that fall behind are dropped")
    public static let reconnect = OptionSpec(["reconnect"], .flag,
                                             help: "With --alsa: wait for a device that is missing or lost (unplugged), retrying after 1 s, doubling up to 30 s, instead of stopping.")
    public static let listDevices = OptionSpec(["list-devices"], .flag,
                                               help: "List the ALSA capture devices by card name (for --alsa) and exit.")

    public static let threads = ThreadsOption.spec

    public static let spec = CommandSpec(
        "kws", abstract: "Streaming keyword spotting from a WAV file, raw PCM or an ALSA capture device.",
        arguments: [model, wav, raw, alsa, listDevices, threshold, stride, average, refractory, period, buffer, seconds, json,
                    exec, socket, reconnect, threads],
        exactlyOne: [[wav, raw, alsa]], standalone: [listDevices])
    public static let evalSpec = CommandSpec(
        "kws-eval", abstract: "Score streaming detections on a long WAV against labelled onsets (TensorFlow convention, 750 ms tolerance).",
        arguments: [model, longWAV, labels, threshold, stride, average, refractory, json, threads])

    /// The options `kws` runs with (also the detector settings of `kws-eval`).
    public static func options(_ p: ParsedCommandLine) throws(AppError) -> KWSOptions {
        var o = KWSOptions()
        o.modelPath = p.text(model) ?? ""
        if let path = p.text(wav) { o.source = .wav(path) }
        else if let path = p.text(raw) { o.source = .raw(path) }
        else if let device = p.text(alsa) { o.source = .alsa(device) }
        o.threshold = try p.number(threshold).map { Float($0) }
        o.strideFrames = try p.integer(stride) ?? o.strideFrames
        o.averageCount = try p.integer(average)
        o.refractorySeconds = try p.number(refractory)
        o.periodFrames = try p.integer(period) ?? o.periodFrames
        o.bufferFrames = try p.integer(buffer) ?? o.bufferFrames
        guard o.bufferFrames >= o.periodFrames else {
            throw AppError(usage: "--buffer must be at least --period (" + String(o.periodFrames) + "), got " + String(o.bufferFrames))
        }
        o.maxSeconds = try p.number(seconds)
        o.json = p.flag(json)
        o.threads = try ThreadsOption.count(p)
        o.execCommand = p.text(exec)
        o.socketPath = p.text(socket)
        o.reconnect = p.flag(reconnect)
        if o.reconnect, case .alsa = o.source {} else if o.reconnect { throw AppError(usage: "--reconnect needs --alsa") }
        if o.execCommand?.isEmpty == true { throw AppError(usage: "--exec needs a command, got an empty one") }
        if o.socketPath?.isEmpty == true { throw AppError(usage: "--socket needs a path, got an empty one") }
        return o
    }

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        if p.flag(listDevices) { return try listCaptureDevices() }
        try kwsCommand(try options(p))
        return .success
    }

    public static func runEval(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        try kwsEvalCommand(try options(p), labelsPath: p.text(labels) ?? "")
        return .success
    }
}
