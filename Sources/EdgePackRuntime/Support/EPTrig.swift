// sin and cos of any float32, for the SIN/COS operators. EPMath.sincos reduces by π/2 in
// double with a three-part π/2 (exact while the quadrant count stays below 2^20); above that
// the reduction uses the bits of 2/π (Payne–Hanek), so x mod π/2 is right for every finite
// float32 up to 3.4e38, as libm's sinf/cosf (and so onnxruntime) compute it.

extension EPMath {
    /// Word k of 2/π: bits 32k + 1 … 32k + 32 after the binary point (computed with mpmath at
    /// 400 bits); 0 past the 256 kept, which weigh below 2^−128 in the remainder of any float32.
    static func twoOverPiWord(_ k: Int) -> UInt32 {
        switch k {
        case 0: return 0xA2F9_836E
        case 1: return 0x4E44_1529
        case 2: return 0xFC27_57D1
        case 3: return 0xF534_DDC0
        case 4: return 0xDB62_9599
        case 5: return 0x3C43_9041
        case 6: return 0xFE51_63AB
        case 7: return 0xDEBB_C561
        default: return 0
        }
    }

    public static func sin(_ x: Float) -> Float { sincos(x).sin }
    public static func cos(_ x: Float) -> Float { sincos(x).cos }

    public static func sincos(_ x: Float) -> (sin: Float, cos: Float) {
        if !x.isFinite { return (.nan, .nan) }
        let a = x.magnitude
        if a < 0x1p19 {
            let (s, c) = sincos(Double(x))
            return (Float(s), Float(c))
        }
        // a = m · 2^e with m a 24-bit integer; a·(2/π) mod 4 gives the quadrant and the remainder.
        let m = UInt64(a.significandBitPattern | 0x80_0000)
        let e = Int(a.exponent) - 23
        // Fixed point 2^e·(2/π) mod 4: bit i of 2/π (after the point) weighs 2^(e−i); bits with
        // i ≤ e − 2 weigh a multiple of 4 and drop out. Three words from bit e − 1 on: 2 integer
        // bits and 190 fraction bits.
        let s0 = bits(from: e - 1), s1 = bits(from: e + 63), s2 = bits(from: e + 127)
        let (h2, _) = m.multipliedFullWidth(by: s2)
        let (h1, l1) = m.multipliedFullWidth(by: s1)
        let (_, l0) = m.multipliedFullWidth(by: s0)
        let (w1, carry) = l1.addingReportingOverflow(h2)
        let w0 = l0 &+ h1 &+ (carry ? 1 : 0)
        var quadrant = Int(w0 >> 62)
        var f = Double((w0 << 2) | (w1 >> 62)) * 0x1p-64
        if f >= 0.5 { f -= 1; quadrant += 1 }
        let (s, c) = sincos(f * 1.57079632679489661923)
        var (rs, rc): (Double, Double)
        switch quadrant & 3 {
        case 0: (rs, rc) = (s, c)
        case 1: (rs, rc) = (c, -s)
        case 2: (rs, rc) = (-s, -c)
        default: (rs, rc) = (-c, s)
        }
        if x < 0 { rs = -rs }
        return (Float(rs), Float(rc))
    }

    /// 64 bits of 2/π starting at bit p (1 = the first bit after the point; bits before it are 0).
    static func bits(from p: Int) -> UInt64 {
        var v: UInt64 = 0
        for j in 0..<64 {
            let i = p + j
            var bit: UInt64 = 0
            if i >= 1 { bit = UInt64((twoOverPiWord((i - 1) / 32) >> (31 - UInt32((i - 1) % 32))) & 1) }
            v = (v << 1) | bit
        }
        return v
    }
}
