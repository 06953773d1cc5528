import ArgumentParser
import EdgePackApp
import EdgePackHost
import EdgePackRuntime
import Foundation

struct BenchCommand: SharedCommand {
    typealias C = BenchCommandLine
    static let shared = AppCommand.bench
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.model)) var model: String
    @Option(name: .shared(C.iterations), parsing: .unconditional, help: .shared(C.iterations)) var iterations: String?
    @Option(name: .shared(C.only), parsing: .unconditional, help: .shared(C.only)) var only: String?
    @Flag(name: .shared(C.json), help: .shared(C.json)) var json = false
    @Option(name: .shared(C.threads), parsing: .unconditional, help: .shared(C.threads)) var threads: String?
    // Host only: the device program writes no pictures.
    @Option(name: .customLong("plot"), help: ArgumentHelp("Also write the per-layer latencies, binary against float kernels, as an SVG bar chart", valueName: "FILE.svg"))
    var plot: String?

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.iterations, iterations); p.add(C.only, only); p.add(C.json, flag: json); p.add(C.threads, threads)
        return p
    }

    func validate() throws {
        do { try Self.shared.spec.check(given) } catch { throw ValidationError(error.message) }
        if plot != nil && only != nil { throw ValidationError("--plot compares both modes; it cannot be used with --only") }
    }

    func run() throws {
        guard let plot else {
            do { _ = try Self.shared.run(given) } catch { throw reportFailure(error) }
            return
        }
        do throws(AppError) {
            let n = try given.integer(C.iterations) ?? 20
            try refuseOverwritingInputs(output: plot, inputs: [model])
            let loaded = try LoadedModel(path: model)
            let (bin, flt) = try benchmarkBoth(loaded.model, iterations: n, threads: try ThreadsOption.count(given))
            try StandardOutput.line(benchReport(loaded.model, iterations: n, binary: bin, float: flt, json: json))
            let layers = loaded.model.operators.enumerated().map { k, op in
                LayerLatency(name: op.name, op: op.opcodeName,
                             binaryMs: Double(bin.perOperatorNs[k]) / 1e6, floatMs: Double(flt.perOperatorNs[k]) / 1e6)
            }
            let title = (loaded.model.metadata.name.isEmpty ? URL(fileURLWithPath: model).lastPathComponent : loaded.model.metadata.name)
                + ": per-layer latency, median of \(n)"
            let svg = LayerLatencyChart.svg(title: title, layers: layers)
            do { try writeFile(path: plot, bytes: Array(svg.utf8)) } catch { throw AppError(error) }
        } catch { throw reportFailure(error) }
    }
}
