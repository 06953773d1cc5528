import ArgumentParser
import EdgePackApp

struct BenchCommand: SharedCommand {
    typealias C = BenchCommandLine
    static let shared = AppCommand.bench
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.model)) var model: String
    @Option(name: .shared(C.iterations), parsing: .unconditional, help: .shared(C.iterations)) var iterations: String?
    @Option(name: .shared(C.only), parsing: .unconditional, help: .shared(C.only)) var only: String?
    @Flag(name: .shared(C.json), help: .shared(C.json)) var json = false

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.iterations, iterations); p.add(C.only, only); p.add(C.json, flag: json)
        return p
    }
}
