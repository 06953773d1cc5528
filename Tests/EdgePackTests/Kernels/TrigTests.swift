import Foundation
import Testing
@testable import EdgePackRuntime

/// EPMath.sin/cos of float32 (the SIN/COS operators) against glibc's double sin/cos of the same
/// value rounded to float32 (an independent implementation, accurate for every double): within
/// one float ulp for values of every exponent, including those far past the double Cody–Waite
/// reduction (|x| ≥ 2^19, where the 2/π bits take over) up to the largest float.
@Suite struct TrigTests {
    static func ulps(_ a: Float, _ b: Float) -> Int {
        if a == b { return 0 }
        guard a.isFinite, b.isFinite, a.sign == b.sign || (a.magnitude < 1e-30 && b.magnitude < 1e-30) else { return .max }
        return abs(Int(a.bitPattern) - Int(b.bitPattern))
    }

    @Test func everyExponentWithinOneUlpOfGlibc() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt32 { state = state &* 6364136223846793005 &+ 1442695040888963407; return UInt32(truncatingIfNeeded: state >> 33) }
        var worst = 0, checked = 0
        for exponent in -40...127 {
            for _ in 0..<400 {
                let bits = (UInt32(exponent + 127) << 23) | (next() & 0x7F_FFFF) | (next() & 1) << 31
                let x = Float(bitPattern: bits)
                let (s, c) = EPMath.sincos(x)
                let ws = Float(Foundation.sin(Double(x))), wc = Float(Foundation.cos(Double(x)))
                worst = max(worst, Self.ulps(s, ws), Self.ulps(c, wc))
                checked += 1
            }
        }
        print("sin/cos: \(checked) float32 values, worst \(worst) ulp from glibc")
        #expect(worst <= 1)
    }

    /// Values next to multiples of π/2 (where the reduction cancels most bits) and the edges.
    @Test func nearMultiplesOfHalfPiAndSpecialValues() {
        for k in [1.0, 3, 1e3, 12345, 1e6, 1e9, 1e15, 1e20, 1e30] {
            let near = Float(k * Double.pi / 2)
            for x in [near.nextDown, near, near.nextUp] {
                #expect(Self.ulps(EPMath.sin(x), Float(Foundation.sin(Double(x)))) <= 1, "sin(\(x))")
                #expect(Self.ulps(EPMath.cos(x), Float(Foundation.cos(Double(x)))) <= 1, "cos(\(x))")
            }
        }
        #expect(EPMath.sin(Float.greatestFiniteMagnitude) == Float(Foundation.sin(Double(Float.greatestFiniteMagnitude))))
        #expect(EPMath.sin(Float.infinity).isNaN && EPMath.cos(-Float.infinity).isNaN && EPMath.sin(Float.nan).isNaN)
        #expect(EPMath.sin(Float(0)) == 0 && EPMath.cos(Float(0)) == 1)
    }
}
