// Number formatting that prints the same text on the host and on the device: Float.description
// is not guaranteed to agree across the two standard libraries, so format from integers.

/// `value` with exactly `decimals` digits after the point, rounded half away from zero.
/// Falls back to scientific notation when the value does not fit in 15 significant digits.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    if value != value { return "nan" }
    if value == .infinity { return "inf" }
    if value == -.infinity { return "-inf" }
    let d = max(0, min(decimals, 9))
    var scale = 1.0
    for _ in 0..<d { scale *= 10 }
    let scaled = (value < 0 ? -value : value) * scale
    if scaled >= 9.0e15 { return formatScientific(value, digits: 6) }
    let units = UInt64((scaled + 0.5).rounded(.down))
    let negative = value < 0 && units != 0
    var divisor: UInt64 = 1
    for _ in 0..<d { divisor *= 10 }
    var text = negative ? "-" : ""
    text += String(units / divisor)
    if d > 0 {
        let frac = String(units % divisor)
        text += "."
        for _ in 0..<(d - frac.count) { text += "0" }
        text += frac
    }
    return text
}

public func formatFixed(_ value: Float, decimals: Int) -> String {
    formatFixed(Double(value), decimals: decimals)
}

/// `value` as d.dddddde±XX with `digits` digits after the point.
public func formatScientific(_ value: Double, digits: Int) -> String {
    if value != value { return "nan" }
    if value == 0 { return formatFixed(0.0, decimals: digits) + "e+00" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    var m = value < 0 ? -value : value
    var e = 0
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    var mantissa = formatFixed(m, decimals: digits)
    if mantissa.hasPrefix("10") { m /= 10; e += 1; mantissa = formatFixed(m, decimals: digits) }
    let exponent = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    return (value < 0 ? "-" : "") + mantissa + "e" + exponent
}

/// Human-readable byte count: 1536 -> "1.50 KiB".
public func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 { return String(bytes) + " B" }
    if bytes < 1024 * 1024 { return formatFixed(Double(bytes) / 1024, decimals: 2) + " KiB" }
    return formatFixed(Double(bytes) / (1024 * 1024), decimals: 2) + " MiB"
}

/// Pads `text` on the left (right-aligns it) to `width` characters.
public func padLeft(_ text: String, _ width: Int) -> String {
    let n = text.count
    if n >= width { return text }
    var out = ""
    for _ in 0..<(width - n) { out += " " }
    return out + text
}

/// Pads `text` on the right to `width` characters.
public func padRight(_ text: String, _ width: Int) -> String {
    let n = text.count
    if n >= width { return text }
    var out = text
    for _ in 0..<(width - n) { out += " " }
    return out
}

/// A finite number as JSON (non-finite values become null, which JSON can represent).
public func jsonNumber(_ value: Double, decimals: Int = 6) -> String {
    value.isFinite ? formatFixed(value, decimals: decimals) : "null"
}
