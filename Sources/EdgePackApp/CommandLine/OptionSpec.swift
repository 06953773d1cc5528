/// What an option's value is: its type, the values allowed and the default used when it is absent.
public enum OptionValue: Sendable {
    case flag
    case text(default: String?)
    case integer(ClosedRange<Int>, default: Int?)
    /// A finite decimal number.
    case number(ClosedRange<Double>, default: Double?)
    case choice([String], default: String?)
}

/// One option or positional argument of a command, declared once for the host CLI (bound to
/// swift-argument-parser) and the device program (parsed by `CommandSpec.parse`).
public struct OptionSpec: Sendable {
    /// Names without dashes; one letter is a short option (`-o`), longer a long one (`--output`).
    /// A positional argument has none.
    public let names: [String]
    public let value: OptionValue
    /// Placeholder in usage text: MODEL.epk, N, T...
    public let valueName: String
    public let help: String
    /// How the default is described when it is not a plain value ("the model's tuned value, else 0.7").
    public let defaultHelp: String?
    public let required: Bool
    public let repeatable: Bool

    public init(_ names: [String], _ value: OptionValue, valueName: String = "", help: String,
                defaultHelp: String? = nil, required: Bool = false, repeatable: Bool = false) {
        self.names = names; self.value = value; self.valueName = valueName; self.help = help
        self.defaultHelp = defaultHelp; self.required = required; self.repeatable = repeatable
    }

    /// A positional argument.
    public static func argument(_ valueName: String, _ value: OptionValue = .text(default: nil), help: String,
                                required: Bool = true) -> OptionSpec {
        OptionSpec([], value, valueName: valueName, help: help, required: required)
    }

    public var isPositional: Bool { names.isEmpty }
    public var isFlag: Bool { if case .flag = value { return true } else { return false } }
    /// The key values are stored under: the first name, or the value name of a positional.
    public var key: String { names.first ?? valueName }
    /// The longest spelling (`--output`), used in messages; a positional's value name.
    public var displayName: String { names.last.map(dashed) ?? valueName }
    public var longNames: [String] { names.filter { $0.count > 1 } }
    public var shortNames: [String] { names.filter { $0.count == 1 } }

    /// `-o, --output OUTPUT.npy`
    public var synopsis: String {
        var s = ""
        for n in names { s += (s.isEmpty ? "" : ", ") + dashed(n) }
        if isFlag { return s }
        return isPositional ? valueName : s + " " + valueName
    }

    /// Help with the allowed values and the default, as both programs print it.
    public var fullHelp: String {
        var details: [String] = []
        switch value {
        case .flag: break
        case .text(let d): if let d { details.append("default " + d) }
        case .integer(let r, let d):
            details.append(rangeText(Double(r.lowerBound), Double(r.upperBound)))
            if let d { details.append("default " + String(d)) }
        case .number(let r, let d):
            details.append(rangeText(r.lowerBound, r.upperBound))
            if let d { details.append("default " + numberText(d)) }
        case .choice(let values, let d):
            details.append(alternatives(values))
            if let d { details.append("default " + d) }
        }
        if let defaultHelp { details.append("default: " + defaultHelp) }
        if repeatable { details.append("repeatable") }
        if details.isEmpty { return help }
        var joined = ""
        for d in details { joined += (joined.isEmpty ? "" : "; ") + d }
        return help + " (" + joined + ")"
    }
}

func dashed(_ name: String) -> String { (name.count == 1 ? "-" : "--") + name }

func rangeText(_ low: Double, _ high: Double) -> String { numberText(low) + " to " + numberText(high) }

/// "a, b or c"
func alternatives(_ values: [String]) -> String {
    var s = ""
    for (k, v) in values.enumerated() {
        s += k == 0 ? "" : (k == values.count - 1 ? " or " : ", ")
        s += v
    }
    return s
}
