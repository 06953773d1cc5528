import ArgumentParser
import EdgePackApp

struct RunCommand: SharedCommand {
    typealias C = RunCommandLine
    static let shared = AppCommand.run
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.model)) var model: String
    @Option(name: .shared(C.input), parsing: .unconditionalSingleValue, help: .shared(C.input)) var i: [String] = []
    @Option(name: .shared(C.namedInput), parsing: .unconditionalSingleValue, help: .shared(C.namedInput)) var named: [String] = []
    @Option(name: .shared(C.output), parsing: .unconditional, help: .shared(C.output)) var o: String
    @Option(name: .shared(C.threads), parsing: .unconditional, help: .shared(C.threads)) var threads: String?

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.input, i); p.add(C.namedInput, named); p.add(C.output, o); p.add(C.threads, threads)
        return p
    }
}
