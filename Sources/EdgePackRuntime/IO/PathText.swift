/// Linux paths are bytes, not necessarily UTF-8, but the command line hands them on as `String`.
/// Decoding argv with U+FFFD repair would lose them (a file named with byte 0xFF could not be
/// opened, an output would get another name), so arguments and listed names are decoded here
/// instead, one-to-one: valid UTF-8 as itself, every other byte as the scalar U+10FF00 + byte,
/// which turns back into that byte wherever a path meets the system (`withPath`). Scalars of that
/// range that really stand in the input (plane-16 private use, which no path needs) are taken
/// byte by byte too, so decoding and encoding are exact inverses for any byte string.
public enum PathText {
    /// The first of the 256 scalars that stand for single bytes.
    public static let byteBase: UInt32 = 0x10FF00

    /// The text for the bytes up to a NUL (argv entries, names listed by the system).
    public static func decode(cString: UnsafePointer<CChar>) -> String {
        var n = 0
        while cString[n] != 0 { n += 1 }
        return cString.withMemoryRebound(to: UInt8.self, capacity: n) {
            decode(UnsafeBufferPointer(start: $0, count: n))
        }
    }

    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = scalar(in: bytes, at: i), scalar < byteBase {
                out.unicodeScalars.append(Unicode.Scalar(scalar)!)
                i += length
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byteBase + UInt32(bytes[i]))!)
                i += 1
            }
        }
        return out
    }

    /// The original bytes of `text`.
    public static func bytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for s in text.unicodeScalars {
            if s.value >= byteBase { out.append(UInt8(s.value - byteBase)) } else { out.append(contentsOf: String(s).utf8) }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of the path `text` names.
    public static func withPath<R>(_ text: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
        if !text.unicodeScalars.contains(where: { $0.value >= byteBase }) { return text.withCString(body) }
        var raw = bytes(text)
        raw.append(0)
        return raw.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// A path as a message shows it: each byte that is not UTF-8, and each control character
    /// (`controls`), as `\xff`, so the terminal gets neither raw bytes nor escape sequences.
    public static func escaped(_ text: String, controls: Bool = true) -> String {
        let needs = { (s: Unicode.Scalar) in s.value >= byteBase || (controls && (s.value < 0x20 || s.value == 0x7F)) }
        if !text.unicodeScalars.contains(where: needs) { return text }
        var out = ""
        for s in text.unicodeScalars {
            if !needs(s) { out.unicodeScalars.append(s) } else {
                out += byteEscape(UInt8(s.value >= byteBase ? s.value - byteBase : s.value))
            }
        }
        return out
    }

    /// `\xNN` in lower-case hex.
    public static func byteEscape(_ b: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        return "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    /// The scalar encoded at `i` and its length in bytes, or nil where the bytes are not
    /// well-formed UTF-8 (truncated, overlong, a surrogate, beyond U+10FFFF).
    static func scalar(in b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let lead = b[i]
        let length: Int, minimum: UInt32
        var value: UInt32
        switch lead {
        case 0..<0x80: return (UInt32(lead), 1)
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        for k in 1..<length {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }
}
