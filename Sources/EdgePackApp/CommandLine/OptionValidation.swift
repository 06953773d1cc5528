import EdgePackRuntime

import CEdgePackSys

// Converting and checking one option's text. The messages name the option and echo the text as
// given, the same on host and device; every failure is a usage error (exit 64).

extension OptionSpec {
    func usageError(_ message: String) -> AppError { AppError(usage: displayName + " " + message) }

    /// A whole number within the declared range.
    public func integer(from text: String) throws(AppError) -> Int {
        guard let v = Int(text) else { throw usageError("must be a whole number, got " + text) }
        try check(v, as: text)
        return v
    }

    /// `v` within the declared range (`text`: how the value was written, for the message).
    public func check(_ v: Int, as text: String? = nil) throws(AppError) {
        guard case .integer(let range, _) = value else { throw usageError("is not a whole-number option") }
        guard range.contains(v) else {
            throw usageError("must be between " + String(range.lowerBound) + " and " + String(range.upperBound) + ", got " + (text ?? String(v)))
        }
    }

    /// `v` finite and within the declared range.
    public func check(_ v: Double, as text: String? = nil) throws(AppError) {
        guard case .number(let range, _) = value else { throw usageError("is not a number option") }
        guard v.isFinite else { throw usageError("must be a finite number, got " + (text ?? formatFixed(v, decimals: 0))) }
        guard v >= range.lowerBound && v <= range.upperBound else {
            throw usageError("must be between " + numberText(range.lowerBound) + " and " + numberText(range.upperBound) + ", got " + (text ?? numberText(v)))
        }
    }

    /// A finite decimal number within the declared range (no nan, inf, hex or locale commas).
    public func number(from text: String) throws(AppError) -> Double {
        guard let v = parseNumber(text) else { throw usageError("must be a number, got " + text) }
        if v.isFinite {
            for c in text.utf8 where !(c >= 0x30 && c <= 0x39) && c != 0x2E && c != 0x2B && c != 0x2D && c != 0x65 && c != 0x45 {
                throw usageError("must be a number, got " + text)
            }
        }
        try check(v, as: text)
        return v
    }

    /// One of the declared words.
    public func choice(from text: String) throws(AppError) -> String {
        guard case .choice(let values, _) = value else { throw usageError("is not a choice option") }
        guard values.contains(text) else { throw usageError("must be " + alternatives(values) + ", got " + text) }
        return text
    }

    /// Checks `text` against the declared type and range.
    func validate(_ text: String) throws(AppError) {
        switch value {
        case .flag, .text: break
        case .integer: _ = try integer(from: text)
        case .number: _ = try number(from: text)
        case .choice: _ = try choice(from: text)
        }
    }
}

/// A decimal number from a command-line argument. Embedded Swift's Double(String) needs a
/// runtime hook the device build lacks, so this goes through the C library (C locale).
public func parseNumber(_ text: String) -> Double? {
    var value = 0.0
    var t = text
    let used = t.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { ep_parse_double($0.baseAddress, $0.count, &value) }
    }
    return used == text.utf8.count && used > 0 ? value : nil
}

/// Whole numbers as integers, others with up to 6 decimals (trailing zeros trimmed); the same
/// text on host and device.
public func numberText(_ v: Double) -> String {
    if v == v.rounded(.towardZero), v > -1e15, v < 1e15 { return String(Int64(v)) }
    var t = formatFixed(v, decimals: 6)
    if t.contains("."), !t.contains("e") {
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
    }
    return t
}
