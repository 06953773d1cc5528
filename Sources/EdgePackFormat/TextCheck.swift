// Strings in a model are printed to terminals, JSON and logs: they must be valid UTF-8 without
// control characters (a NUL or an escape sequence in a label would travel to every reader).

/// Why `bytes` is not acceptable text, or nil. Newlines and tabs only where `multiline`.
func textProblem(_ bytes: UnsafeBufferPointer<UInt8>, multiline: Bool) -> String? {
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if b < 0x80 {
            if b == 0x7F || (b < 0x20 && !(multiline && (b == 0x0A || b == 0x09))) {
                return "control character 0x" + hexByte(b) + " at byte \(i)"
            }
            i += 1
            continue
        }
        // Lead byte: sequence length and the smallest code point it may encode (no overlongs).
        let (length, minimum): (Int, UInt32) = b >= 0xF0 && b <= 0xF4 ? (4, 0x10000)
            : b >= 0xE0 && b < 0xF0 ? (3, 0x800) : b >= 0xC2 && b < 0xE0 ? (2, 0x80) : (0, 0)
        guard length > 0, i + length <= bytes.count else { return "invalid UTF-8 at byte \(i)" }
        var scalar = UInt32(b) & (0xFF >> UInt32(length + 1))
        for k in 1..<length {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return "invalid UTF-8 at byte \(i)" }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            return "invalid UTF-8 at byte \(i)"
        }
        if (0x80...0x9F).contains(scalar) { return "control character U+00" + hexByte(UInt8(scalar)) + " at byte \(i)" }
        i += length
    }
    return nil
}

func hexByte(_ b: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
    return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
}
