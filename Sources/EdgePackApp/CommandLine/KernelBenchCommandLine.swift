/// `kernel-bench bgemm|gemm M N K ITERATIONS`
public enum KernelBenchCommandLine {
    public static let kernel = OptionSpec.argument("KERNEL", .choice(["bgemm", "gemm"], default: nil),
                                                   help: "bgemm (XNOR/popcount) or gemm (float).")
    public static let m = OptionSpec.argument("M", .integer(1...4096, default: nil), help: "Rows.")
    public static let n = OptionSpec.argument("N", .integer(1...4096, default: nil), help: "Columns.")
    public static let k = OptionSpec.argument("K", .integer(1...16384, default: nil), help: "Depth.")
    public static let iterations = OptionSpec.argument("ITERATIONS", .integer(0...1_000_000, default: nil), help: "Calls to time.")
    public static let spec = CommandSpec(
        "kernel-bench", abstract: "Time one GEMM kernel (bgemm: XNOR/popcount, gemm: float) on seeded M×N×K data.",
        arguments: [kernel, m, n, k, iterations])

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        let text = kernelBench(try p.choice(kernel) ?? "", m: try p.integer(m) ?? 1, n: try p.integer(n) ?? 1,
                               k: try p.integer(k) ?? 1, iterations: try p.integer(iterations) ?? 0)
        try StandardOutput.line(text)
        return .success
    }
}
