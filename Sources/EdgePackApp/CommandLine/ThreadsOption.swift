import EdgePackRuntime

/// `--threads N`, the same on every command that runs a model.
public enum ThreadsOption {
    public static let spec = OptionSpec(["threads"], .integer(1...WorkerPool.limit, default: nil), valueName: "N",
                                        help: "Threads large layers are split across (outputs are identical for every count)",
                                        defaultHelp: "the number of cores")

    /// The count given, else one per online core.
    public static func count(_ p: ParsedCommandLine) throws(AppError) -> Int {
        try p.integer(spec) ?? WorkerPool.onlineCores
    }
}
