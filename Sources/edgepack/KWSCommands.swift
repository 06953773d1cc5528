import ArgumentParser
import EdgePackApp
import EdgePackRuntime

/// Options shared by `kws` and `kws-eval`.
struct KWSArguments: ParsableArguments {
    @Option(help: "Keyword-spotting model (.epk with audio front-end metadata).") var model: String
    @Option(help: "Detection threshold on the smoothed posterior (default: the model's tuned value, else 0.7).") var threshold: Float?
    @Option(help: "Run the model every N hops of the front end (default 1).") var stride = 1
    @Option(help: "Posteriors averaged for smoothing (default: the model's, else 6).") var average: Int?
    @Option(help: "Seconds after a detection during which none is reported (default: the model's, else 1.0).") var refractory: Double?
    @Flag(help: "One JSON object per detection per line, then a summary.") var json = false

    func options() -> KWSOptions {
        var o = KWSOptions()
        o.modelPath = model; o.threshold = threshold; o.strideFrames = stride
        o.averageCount = average; o.refractorySeconds = refractory; o.json = json
        return o
    }
}

struct KWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kws", abstract: "Streaming keyword spotting from a WAV file, raw PCM or an ALSA capture device.")

    @OptionGroup var common: KWSArguments
    @Option(help: "WAV file (PCM 8/16/24/32-bit or float, any channels; other rates are resampled).") var wav: String?
    @Option(help: "Raw signed 16-bit little-endian mono PCM at the model's rate; - for stdin.") var raw: String?
    @Option(help: "ALSA capture device: default, plughw:1,0, hw:1,0 ...") var alsa: String?
    @Option(help: "ALSA period in frames.") var period = 512
    @Option(help: "ALSA buffer in frames.") var buffer = 4096
    @Option(help: "Stop after this many seconds of audio.") var seconds: Double?

    func validate() throws {
        let given = [wav, raw, alsa].compactMap { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --wav, --raw, --alsa") }
    }

    func run() throws {
        var o = common.options()
        if let wav { o.source = .wav(wav) } else if let raw { o.source = .raw(raw) } else if let alsa { o.source = .alsa(alsa) }
        o.periodFrames = period; o.bufferFrames = buffer; o.maxSeconds = seconds
        do { try kwsCommand(o) } catch { throw reportFailure(error.message) }
    }
}

struct KWSEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kws-eval",
        abstract: "Score streaming detections on a long WAV against labelled onsets (TensorFlow convention, 750 ms tolerance).")

    @OptionGroup var common: KWSArguments
    @Option(help: "Long WAV stream.") var wav: String
    @Option(help: "Labels TSV: onset seconds<TAB>word per line.") var labels: String

    func run() throws {
        var o = common.options()
        o.source = .wav(wav)
        do { try kwsEvalCommand(o, labelsPath: labels) } catch { throw reportFailure(error.message) }
    }
}
