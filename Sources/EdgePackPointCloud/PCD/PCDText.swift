import CEdgePackSys

// Byte-level text helpers shared by the header parser and the ascii data decoder. They work on the
// mapped file directly, so no line is copied into a String unless it is shown in an error.

/// A half-open byte range inside the input.
struct ByteRange {
    var start: Int
    var end: Int
    var count: Int { end - start }
}

enum PCDText {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
    }

    /// Splits bytes[range] into whitespace-separated tokens.
    static func tokens(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange) -> [ByteRange] {
        var out: [ByteRange] = []
        var i = range.start
        while i < range.end {
            while i < range.end, isSpace(bytes[i]) { i += 1 }
            if i >= range.end { break }
            let s = i
            while i < range.end, !isSpace(bytes[i]) { i += 1 }
            out.append(ByteRange(start: s, end: i))
        }
        return out
    }

    /// Text of a token for messages, cut at 40 bytes, non-printable bytes shown as '?'.
    static func string(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange, limit: Int = 40) -> String {
        var s = ""
        let end = min(range.end, range.start + limit)
        for i in range.start..<end {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F { s.unicodeScalars.append(Unicode.Scalar(b)) } else { s += "?" }
        }
        if range.end > end { s += "..." }
        return s
    }

    /// Exact text of a token (names), decoded as UTF-8 with replacement of invalid sequences.
    static func exactString(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range.start..<range.end]), as: UTF8.self)
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<range.count where bytes[range.start + k] != p[k] { return false }
        return true
    }

    /// Lower-cases ASCII letters for the comparison (for "nan"/"NaN").
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<range.count {
            var b = bytes[range.start + k]
            if b >= 0x41 && b <= 0x5A { b += 32 }
            if b != p[k] { return false }
        }
        return true
    }

    enum IntegerResult { case value(UInt64, negative: Bool), notANumber, overflow }

    /// Decimal integer: optional sign, then digits only.
    static func parseInteger(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange) -> IntegerResult {
        var i = range.start
        var negative = false
        if i < range.end, bytes[i] == 0x2D || bytes[i] == 0x2B {
            negative = bytes[i] == 0x2D
            i += 1
        }
        guard i < range.end else { return .notANumber }
        var value: UInt64 = 0
        while i < range.end {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return .notANumber }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return .overflow }
            value = a
            i += 1
        }
        return .value(value, negative: negative)
    }

    /// A non-negative integer no larger than `limit`, or nil.
    static func parseCount(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange, limit: UInt64) -> Int? {
        guard range.count > 0, bytes[range.start] != 0x2D, bytes[range.start] != 0x2B else { return nil }
        switch parseInteger(bytes, range) {
        case .value(let v, _): return v <= limit ? Int(v) : nil
        default: return nil
        }
    }

    /// Correctly rounded decimal → Double (glibc strtod in the C locale); nil unless the whole
    /// token parses.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange) -> Double? {
        guard range.count > 0, let base = bytes.baseAddress else { return nil }
        var value = 0.0
        let used = ep_parse_double(base.advanced(by: range.start).assumingMemoryBound(to: CChar.self),
                                   range.count, &value)
        return used == range.count ? value : nil
    }

    /// Correctly rounded decimal → Float (strtof, not strtod then narrowing, which can round twice).
    static func parseFloat(_ bytes: UnsafeRawBufferPointer, _ range: ByteRange) -> Float? {
        guard range.count > 0, let base = bytes.baseAddress else { return nil }
        var value: Float = 0
        let used = ep_parse_float(base.advanced(by: range.start).assumingMemoryBound(to: CChar.self),
                                  range.count, &value)
        return used == range.count ? value : nil
    }
}
