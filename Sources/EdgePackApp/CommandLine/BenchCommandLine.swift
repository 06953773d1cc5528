import EdgePackRuntime

/// `bench MODEL.epk [--iterations N] [--only binary|float] [--json]`
public enum BenchCommandLine {
    public static let model = OptionSpec.argument("MODEL.epk", help: "Model file (.epk).")
    public static let iterations = OptionSpec(["iterations"], .integer(1...1_000_000, default: 20), valueName: "N",
                                              help: "Timed iterations after one warm-up")
    public static let only = OptionSpec(["only"], .choice(["binary", "float"], default: nil), valueName: "MODE",
                                        help: "Run one execution mode alone, e.g. to count its instructions")
    public static let json = OptionSpec(["json"], .flag, help: "Print JSON.")
    public static let threads = ThreadsOption.spec
    public static let spec = CommandSpec(
        "bench", abstract: "Latency (median, p90, per layer), sizes and memory; binary kernels against float kernels on the same model.",
        arguments: [model, iterations, only, json, threads])

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        let n = try p.integer(iterations) ?? 20
        let mode = try p.choice(only)
        let t = try ThreadsOption.count(p)
        let loaded = try LoadedModel(path: p.text(model) ?? "")
        if let mode {
            let m: ExecutionMode = mode == "binary" ? .binary : .floatReference
            try StandardOutput.line(try benchModel(loaded.model, mode: m, iterations: n, threads: t, json: p.flag(json)))
        } else {
            try StandardOutput.line(try benchModel(loaded.model, iterations: n, threads: t, json: p.flag(json)))
        }
        return .success
    }
}
