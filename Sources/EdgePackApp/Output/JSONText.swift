/// A JSON string literal. Escapes by Unicode scalar, so non-ASCII text stays UTF-8 as it is
/// (`wörter`, not `wÃ¶rter`); quotes, backslashes and control characters are escaped.
public func jsonString(_ text: String) -> String {
    var out = "\""
    for s in text.unicodeScalars {
        switch s.value {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x08: out += "\\b"
        case 0x0C: out += "\\f"
        case 0..<0x20, 0x7F: out += "\\u" + hexDigits(s.value, width: 4)
        default: out.unicodeScalars.append(s)
        }
    }
    return out + "\""
}

/// `value` in lower-case hex, zero-padded to `width` digits.
func hexDigits(_ value: UInt32, width: Int) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    var out = ""
    var v = value
    var n = 0
    while v > 0 || n < width {
        out.insert(digits[Int(v & 15)], at: out.startIndex)
        v >>= 4
        n += 1
    }
    return out
}
