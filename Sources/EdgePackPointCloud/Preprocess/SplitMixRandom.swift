// The seeded generator behind point sampling: SplitMix64 (Steele, Lea & Flood 2014), integer
// arithmetic only, so the host and the device draw exactly the same sequence.

public struct SplitMixRandom {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound ≥ 1) by the multiply-high method; the bias is below bound/2^64.
    public mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

extension SplitMixRandom {
    /// Uniform in [lo, hi) from the top 24 bits (benchmark inputs, synthetic weights).
    public mutating func uniform(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }
    public mutating func floats(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = uniform(lo, hi) }
        return out
    }
    /// ±1 values, equally likely.
    public mutating func signs(_ n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = next() & 1 == 0 ? 1 : -1 }
        return out
    }
}
