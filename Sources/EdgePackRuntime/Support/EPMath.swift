// Transcendental functions built from +, -, *, / and rounding only, so the host (x86-64 glibc)
// and the device (aarch64 glibc) produce the same bits. glibc's expf/logf/sin pick different
// code paths per architecture (FMA variants), which would break bit-identical output.

public enum EPMath {
    static let ln2 = 0.693147180559945309417232121458
    static let invLn2 = 1.44269504088896340735992468100
    static let ln10 = 2.30258509299404568401799145468

    /// 2^n for an integer n in the normal Double range.
    @inline(__always) static func pow2(_ n: Int) -> Double {
        Double(bitPattern: UInt64(n + 1023) << 52)
    }

    /// e^x in double precision (error well below 1 ulp of Float, ~1e-15 relative).
    public static func exp(_ x: Double) -> Double {
        if x != x { return x }
        if x > 709.0 { return .infinity }
        if x < -745.0 { return 0 }
        let n = (x * invLn2).rounded(.toNearestOrEven)
        // Cody-Waite split of ln 2 keeps r exact enough.
        let r = (x - n * 0.693147180369123816490) - n * 1.90821492927058770002e-10
        // Taylor series on |r| <= 0.347: 14 terms reach double precision.
        var term = 1.0, sum = 1.0
        for k in 1...14 { term *= r / Double(k); sum += term }
        let ni = Int(n)
        if ni < -1022 { return sum * pow2(ni + 600) * pow2(-600) }
        if ni > 1023 { return sum * pow2(ni - 600) * pow2(600) }
        return sum * pow2(ni)
    }

    public static func exp(_ x: Float) -> Float { Float(exp(Double(x))) }

    /// Natural logarithm in double precision.
    public static func log(_ x: Double) -> Double {
        if x != x || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        var bits = x.bitPattern
        var e = Int((bits >> 52) & 0x7FF)
        if e == 0 {                       // subnormal: renormalize
            let y = x * pow2(54)
            bits = y.bitPattern
            e = Int((bits >> 52) & 0x7FF) - 54
        }
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        e -= 1023
        if m > 1.4142135623730951 { m *= 0.5; e += 1 }
        // log m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var power = s, sum = 0.0
        var k = 1.0
        for _ in 0..<14 { sum += power / k; power *= s2; k += 2 }
        return 2 * sum + Double(e) * ln2
    }

    public static func log(_ x: Float) -> Float { Float(log(Double(x))) }
    public static func log10(_ x: Double) -> Double { log(x) / ln10 }
    public static func log10(_ x: Float) -> Float { Float(log(Double(x)) / ln10) }

    /// sin and cos for |x| up to ~1e6 (twiddles, windows), via reduction by pi/2.
    public static func sin(_ x: Double) -> Double { sincos(x).sin }
    public static func cos(_ x: Double) -> Double { sincos(x).cos }

    public static func sincos(_ x: Double) -> (sin: Double, cos: Double) {
        if !x.isFinite { return (.nan, .nan) }
        let q = (x * 0.636619772367581343075535053490).rounded(.toNearestOrEven)
        // pi/2 split in three parts (Cody-Waite) so r stays accurate.
        var r = x - q * 1.57079632673412561417e+00
        r -= q * 6.07710050650619224932e-11
        r -= q * 2.02226624879595063154e-21
        let r2 = r * r
        var s = 0.0, c = 0.0
        var term = r
        var k = 1.0
        for _ in 0..<11 { s += term; term *= -r2 / ((k + 1) * (k + 2)); k += 2 }
        term = 1; k = 0
        for _ in 0..<11 { c += term; term *= -r2 / ((k + 1) * (k + 2)); k += 2 }
        switch Int(q) & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    public static func pow(_ base: Double, _ exponent: Double) -> Double {
        if exponent == 0 { return 1 }
        if base == 0 { return exponent > 0 ? 0 : .infinity }
        return exp(exponent * log(base))
    }
}
