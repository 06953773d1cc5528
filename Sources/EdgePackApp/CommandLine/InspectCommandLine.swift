/// `inspect MODEL.epk [--json]`
public enum InspectCommandLine {
    public static let model = OptionSpec.argument("MODEL.epk", help: "Model file (.epk).")
    public static let json = OptionSpec(["json"], .flag, help: "Print JSON.")
    public static let spec = CommandSpec(
        "inspect", abstract: "Show a model's metadata, operators, kernels, sizes and planned memory.",
        arguments: [model, json])

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        let loaded = try LoadedModel(path: p.text(model) ?? "")
        try StandardOutput.line(try inspectModel(loaded.model, json: p.flag(json)))
        return .success
    }
}
