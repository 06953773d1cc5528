import ArgumentParser
import EdgePackApp

// The host side of the shared command lines (EdgePackApp/CommandLine): each command declares its
// properties with the names and help of the shared OptionSpecs, hands what it got to the shared
// checks in validate(), and runs the shared command, so host and device accept the same values
// with the same messages and exit statuses.

extension NameSpecification {
    /// The spellings of a shared option (`-o`, `--output`).
    static func shared(_ o: OptionSpec) -> NameSpecification {
        NameSpecification(o.names.map { $0.count == 1 ? .customShort(Character($0)) : .customLong($0) })
    }
}

extension ArgumentHelp {
    /// A shared option's help with its range and default.
    static func shared(_ o: OptionSpec) -> ArgumentHelp {
        ArgumentHelp(o.fullHelp, valueName: o.isFlag || o.isPositional ? nil : o.valueName)
    }
}

extension CommandConfiguration {
    init(shared c: CommandSpec) {
        self.init(commandName: c.name, abstract: c.abstract, discussion: c.fullDiscussion)
    }
}

/// A host command bound to a shared one: it only says which of its properties hold which option.
protocol SharedCommand: ParsableCommand {
    static var shared: AppCommand { get }
    var given: ParsedCommandLine { get }
}

extension SharedCommand {
    func validate() throws {
        do { try Self.shared.spec.check(given) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        let status: ExitStatus
        do { status = try Self.shared.run(given) } catch { throw reportFailure(error) }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
