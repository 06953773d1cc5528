// Error messages interpolate shapes and index lists. Embedded Swift cannot print arbitrary values
// ("(cannot print value in embedded Swift)"), so these overloads, chosen at compile time on both
// builds, print [Int] the way the host always has: the device's messages carry the same values.

extension DefaultStringInterpolation {
    public mutating func appendInterpolation(_ values: [Int]) {
        appendLiteral("[")
        for (i, v) in values.enumerated() {
            if i > 0 { appendLiteral(", ") }
            appendLiteral(String(v))
        }
        appendLiteral("]")
    }
}
