import EdgePackRuntime

/// A command's whole command line: its options and positional arguments in help order, and the
/// groups of options of which exactly one must be given.
public struct CommandSpec: Sendable {
    public let name: String
    public let abstract: String
    public let discussion: String
    public let arguments: [OptionSpec]
    /// Each group lists options (by key) of which exactly one must be given.
    public let exactlyOne: [[OptionSpec]]
    /// Flags that are a whole command line by themselves (`kws --list-devices`): with one given,
    /// the required options and the groups are not asked for.
    public let standalone: [OptionSpec]

    public init(_ name: String, abstract: String, discussion: String = "", arguments: [OptionSpec],
                exactlyOne: [[OptionSpec]] = [], standalone: [OptionSpec] = []) {
        self.name = name; self.abstract = abstract; self.discussion = discussion
        self.arguments = arguments; self.exactlyOne = exactlyOne; self.standalone = standalone
    }

    public var positionals: [OptionSpec] { arguments.filter { $0.isPositional } }
    public var options: [OptionSpec] { arguments.filter { !$0.isPositional } }

    /// The discussion both programs print under the options: the command's own text, then the
    /// exit statuses.
    public var fullDiscussion: String { (discussion.isEmpty ? "" : discussion + "\n\n") + ExitStatus.helpText }

    /// `kws --model MODEL.epk (--wav FILE | --raw FILE | --alsa DEVICE) [options]`
    public var usageLine: String {
        var s = name
        for p in positionals { s += " " + (p.required ? p.valueName : "[" + p.valueName + "]") }
        var grouped: [String] = []
        for group in exactlyOne { for o in group { grouped.append(o.key) } }
        for o in options where o.required && !grouped.contains(o.key) { s += " " + o.synopsis }
        for group in exactlyOne {
            var alt = ""
            for o in group { alt += (alt.isEmpty ? "" : " | ") + o.synopsis }
            s += " (" + alt + ")"
        }
        if options.contains(where: { !$0.required && !grouped.contains($0.key) }) { s += " [options]" }
        return s
    }

    /// The help page: usage, abstract, every argument with its full help, exit statuses.
    public func helpText(program: String) -> String {
        var s = "usage: " + program + " " + usageLine + "\n"
        for o in standalone { s += "       " + program + " " + name + " " + o.synopsis + "\n" }
        s += "\n" + abstract + "\n"
        let width = arguments.reduce(10) { max($0, $1.synopsis.count + 4) }
        if !positionals.isEmpty {
            s += "\narguments:\n"
            for p in positionals { s += "  " + padRight(p.synopsis, width) + p.fullHelp + "\n" }
        }
        s += "\noptions:\n"
        for o in options { s += "  " + padRight(o.synopsis, width) + o.fullHelp + "\n" }
        s += "  " + padRight("-h, --help", width) + "Show this help.\n"
        return s + "\n" + fullDiscussion
    }

    func option(named name: String) -> OptionSpec? { options.first { $0.names.contains(name) } }
}
