import EdgePackRuntime

/// Text from a file (model names, labels, PCD field names) made safe to print to a terminal:
/// control characters (C0, DEL, C1) and bidirectional overrides become visible escapes such as
/// `\x1b` or `\u{202e}`, so a model cannot move the cursor, recolour or reorder what is shown.
public func terminalSafe(_ text: String) -> String {
    var out = ""
    for s in text.unicodeScalars {
        switch s.value {
        case 0..<0x20, 0x7F...0x9F: out += "\\x" + hexDigits(s.value, width: 2)
        case PathText.byteBase...: out += PathText.escaped(String(s))
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: out += "\\u{" + hexDigits(s.value, width: 4) + "}"
        default: out.unicodeScalars.append(s)
        }
    }
    return out
}
