import ArgumentParser
import EdgePackApp

struct InspectCommand: SharedCommand {
    typealias C = InspectCommandLine
    static let shared = AppCommand.inspect
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.model)) var model: String
    @Flag(name: .shared(C.json), help: .shared(C.json)) var json = false

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.json, flag: json)
        return p
    }
}
