import ArgumentParser
import EdgePackApp

/// The detector options `kws` and `kws-eval` share.
struct KWSDetectorArguments: ParsableArguments {
    typealias C = KWSCommandLine
    @Option(name: .shared(C.threshold), parsing: .unconditional, help: .shared(C.threshold)) var threshold: String?
    @Option(name: .shared(C.stride), parsing: .unconditional, help: .shared(C.stride)) var stride: String?
    @Option(name: .shared(C.average), parsing: .unconditional, help: .shared(C.average)) var average: String?
    @Option(name: .shared(C.refractory), parsing: .unconditional, help: .shared(C.refractory)) var refractory: String?
    @Option(name: .shared(C.threads), parsing: .unconditional, help: .shared(C.threads)) var threads: String?
    @Flag(name: .shared(C.json), help: .shared(C.json)) var json = false

    func add(to p: inout ParsedCommandLine) {
        p.add(C.threshold, threshold); p.add(C.stride, stride); p.add(C.average, average)
        p.add(C.refractory, refractory); p.add(C.json, flag: json); p.add(C.threads, threads)
    }
}

struct KWSCommand: SharedCommand {
    typealias C = KWSCommandLine
    static let shared = AppCommand.kws
    static let configuration = CommandConfiguration(shared: C.spec)

    // Optional here: `--list-devices` needs no model; the shared check asks for it otherwise.
    @Option(name: .shared(C.model), parsing: .unconditional, help: .shared(C.model)) var model: String?
    @Option(name: .shared(C.wav), parsing: .unconditional, help: .shared(C.wav)) var wav: String?
    @Option(name: .shared(C.raw), parsing: .unconditional, help: .shared(C.raw)) var raw: String?
    @Option(name: .shared(C.alsa), parsing: .unconditional, help: .shared(C.alsa)) var alsa: String?
    @Flag(name: .shared(C.listDevices), help: .shared(C.listDevices)) var listDevices = false
    @OptionGroup var detector: KWSDetectorArguments
    @Option(name: .shared(C.period), parsing: .unconditional, help: .shared(C.period)) var period: String?
    @Option(name: .shared(C.buffer), parsing: .unconditional, help: .shared(C.buffer)) var buffer: String?
    @Option(name: .shared(C.seconds), parsing: .unconditional, help: .shared(C.seconds)) var seconds: String?
    @Option(name: .shared(C.exec), parsing: .unconditional, help: .shared(C.exec)) var exec: String?
    @Option(name: .shared(C.socket), parsing: .unconditional, help: .shared(C.socket)) var socket: String?
    @Flag(name: .shared(C.reconnect), help: .shared(C.reconnect)) var reconnect = false

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.wav, wav); p.add(C.raw, raw); p.add(C.alsa, alsa); p.add(C.listDevices, flag: listDevices)
        detector.add(to: &p)
        p.add(C.period, period); p.add(C.buffer, buffer); p.add(C.seconds, seconds)
        p.add(C.exec, exec); p.add(C.socket, socket); p.add(C.reconnect, flag: reconnect)
        return p
    }
}

struct KWSEvalCommand: SharedCommand {
    typealias C = KWSCommandLine
    static let shared = AppCommand.kwsEval
    static let configuration = CommandConfiguration(shared: C.evalSpec)

    @Option(name: .shared(C.model), parsing: .unconditional, help: .shared(C.model)) var model: String
    @Option(name: .shared(C.longWAV), parsing: .unconditional, help: .shared(C.longWAV)) var wav: String
    @Option(name: .shared(C.labels), parsing: .unconditional, help: .shared(C.labels)) var labels: String
    @OptionGroup var detector: KWSDetectorArguments

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.longWAV, wav); p.add(C.labels, labels)
        detector.add(to: &p)
        return p
    }
}
