import ArgumentParser
import EdgePackApp
import EdgePackRuntime

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Latency (median, p90, per layer), sizes and memory; binary kernels against float kernels on the same model.")

    @Argument(help: "Model file (.epk).") var model: String
    @Option(help: "Timed iterations after one warm-up.") var iterations = 20
    @Option(help: "Run one execution mode alone (binary or float), e.g. to count its instructions.") var only: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard iterations > 0 else { throw reportFailure("--iterations must be positive") }
        do {
            let loaded = try LoadedModel(path: model)
            if let only {
                Console.out(try benchModel(loaded.model, mode: try benchMode(only), iterations: iterations, json: json))
            } else {
                Console.out(try benchModel(loaded.model, iterations: iterations, json: json))
            }
        } catch { throw reportFailure(error.message) }
    }
}
