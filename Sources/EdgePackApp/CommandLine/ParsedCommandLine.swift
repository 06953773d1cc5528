/// The values given on a command line, keyed by option (as text, converted on request): filled by
/// `CommandSpec.parse` on the device and from swift-argument-parser's properties on the host.
public struct ParsedCommandLine {
    /// (option key, text) in the order given; a handful of entries, so a list.
    var entries: [(key: String, text: String)] = []
    public var helpRequested = false

    public init() {}

    public mutating func add(_ o: OptionSpec, _ text: String?) {
        if let text { entries.append((o.key, text)) }
    }
    public mutating func add(_ o: OptionSpec, _ texts: [String]) { for t in texts { add(o, t) } }
    public mutating func add(_ o: OptionSpec, flag: Bool) { if flag { add(o, "") } }

    public func isGiven(_ o: OptionSpec) -> Bool { entries.contains { $0.key == o.key } }
    /// The last value given (a repeated single-value option keeps the last, as on the host).
    public func text(_ o: OptionSpec) -> String? {
        if let v = last(o) { return v }
        if case .text(let d) = o.value { return d }
        return nil
    }
    public func texts(_ o: OptionSpec) -> [String] { entries.filter { $0.key == o.key }.map { $0.text } }
    func last(_ o: OptionSpec) -> String? { entries.last { $0.key == o.key }?.text }
    public func flag(_ o: OptionSpec) -> Bool { isGiven(o) }

    public func integer(_ o: OptionSpec) throws(AppError) -> Int? {
        if let t = last(o) { return try o.integer(from: t) }
        if case .integer(_, let d) = o.value { return d }
        return nil
    }
    public func number(_ o: OptionSpec) throws(AppError) -> Double? {
        if let t = last(o) { return try o.number(from: t) }
        if case .number(_, let d) = o.value { return d }
        return nil
    }
    public func choice(_ o: OptionSpec) throws(AppError) -> String? {
        if let t = last(o) { return try o.choice(from: t) }
        if case .choice(_, let d) = o.value { return d }
        return nil
    }
}

extension CommandSpec {
    /// Parses the arguments after the command name. An option that takes a value always takes
    /// the next argument (`--threshold -1` is a value, rejected later by its range); `--name=value`
    /// works too; `--` ends the options.
    public func parse(_ args: ArraySlice<String>) throws(AppError) -> ParsedCommandLine {
        var p = ParsedCommandLine()
        var positional = 0
        var onlyPositionals = false
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            i += 1
            if !onlyPositionals && (a == "--help" || a == "-h") { p.helpRequested = true; continue }
            if !onlyPositionals && a == "--" { onlyPositionals = true; continue }
            if onlyPositionals || !a.hasPrefix("-") || a == "-" || looksNegative(a) {
                guard positional < positionals.count else { throw AppError(usage: "unexpected argument " + a) }
                p.add(positionals[positional], a)
                positional += 1
                continue
            }
            var name = a.hasPrefix("--") ? String(a.dropFirst(2)) : String(a.dropFirst())
            var inline: String? = nil
            if a.hasPrefix("--"), let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let o = option(named: name), (a.hasPrefix("--")) == (name.count > 1) else {
                throw AppError(usage: "unknown option " + a)
            }
            if o.isFlag {
                guard inline == nil else { throw AppError(usage: dashed(name) + " takes no value") }
                p.add(o, flag: true)
                continue
            }
            if let inline { p.add(o, inline); continue }
            guard i < args.endIndex else { throw AppError(usage: dashed(name) + " needs a value") }
            p.add(o, args[i])
            i += 1
        }
        if !p.helpRequested { try check(p) }
        return p
    }

    /// `-1`, `-.5`: a value for a positional argument, not an option.
    private func looksNegative(_ a: String) -> Bool {
        let u = Array(a.utf8.prefix(2))
        return u.count == 2 && ((u[1] >= 0x30 && u[1] <= 0x39) || u[1] == 0x2E)
    }

    /// Required arguments present, exactly one of each group, every value of its type and range.
    public func check(_ p: ParsedCommandLine) throws(AppError) {
        let alone = standalone.contains { p.isGiven($0) }
        for a in arguments where a.required && !alone && !p.isGiven(a) {
            throw AppError(usage: "missing " + (a.isPositional ? a.valueName : a.displayName + " " + a.valueName))
        }
        for group in exactlyOne where !alone && group.filter({ p.isGiven($0) }).count != 1 {
            var names = ""
            for o in group { names += (names.isEmpty ? "" : ", ") + o.displayName }
            throw AppError(usage: "give exactly one of " + names)
        }
        for a in arguments {
            for t in p.texts(a) { try a.validate(t) }
        }
    }
}
