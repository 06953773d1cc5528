/// `run MODEL.epk -i INPUT.npy [-i ...] [--input NAME=PATH ...] -o OUTPUT.npy`
public enum RunCommandLine {
    public static let model = OptionSpec.argument("MODEL.epk", help: "Model file (.epk).")
    public static let input = OptionSpec(["i"], .text(default: nil), valueName: "INPUT.npy",
                                         help: "Input .npy, in the model's input order", repeatable: true)
    public static let namedInput = OptionSpec(["input"], .text(default: nil), valueName: "NAME=PATH",
                                              help: "Input .npy for the model input called NAME", repeatable: true)
    public static let output = OptionSpec(["o", "output"], .text(default: nil), valueName: "OUTPUT.npy",
                                          help: "Output .npy (further outputs next to it as OUTPUT.N.npy)", required: true)
    public static let threads = ThreadsOption.spec
    public static let spec = CommandSpec(
        "run", abstract: "Run a model on .npy inputs and write its output as .npy.",
        arguments: [model, input, namedInput, output, threads])

    /// The inputs in order: positional ones (`-i`), then named ones.
    public static func inputs(_ p: ParsedCommandLine) throws(AppError) -> [(name: String?, path: String)] {
        var inputs: [(name: String?, path: String)] = p.texts(input).map { (nil, $0) }
        for item in p.texts(namedInput) {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw AppError(usage: "--input must be NAME=PATH, got " + item)
            }
            inputs.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        return inputs
    }

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        let modelPath = p.text(model) ?? ""
        let given = try inputs(p)
        let loaded = try LoadedModel(path: modelPath)
        try runModel(loaded, inputs: given, outputPath: p.text(output) ?? "", threads: try ThreadsOption.count(p))
        return .success
    }
}
