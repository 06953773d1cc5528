import EdgePackFormat

// A fused activation with its operand resolved: the kind and clip range from the model, and the
// PReLU slope (per channel, or one shared). The one definition both the binary layers' output
// transform and the activation pass after float convolutions and GEMMs apply.

public struct ChannelActivation {
    public var function: FusedActivation
    /// PReLU slope (nil unless the function is PRELU); `slopeCount` 1 broadcasts it.
    public var slope: UnsafePointer<Float>?
    public var slopeCount: Int

    public init(_ function: FusedActivation = FusedActivation(), slope: UnsafePointer<Float>? = nil, slopeCount: Int = 0) {
        self.function = function; self.slope = slope; self.slopeCount = slopeCount
    }

    public var isIdentity: Bool { function.kind == .none }

    @inline(__always)
    public func apply(_ y: Float, channel c: Int) -> Float {
        switch function.kind {
        case .none: return y
        case .relu: return y < 0 ? 0 : y
        case .clip: return y < function.clipMin ? function.clipMin : (y > function.clipMax ? function.clipMax : y)
        case .prelu:
            guard let slope else { return y }
            return y < 0 ? y * slope[slopeCount == 1 ? 0 : c] : y
        }
    }
}

extension ChannelActivation {
    /// `apply` over row[range], all of channel c: the kind is chosen once, so each loop is plain
    /// (and vectorizes) rather than a switch per value.
    @inline(__always)
    public func applyRow(_ row: UnsafeMutablePointer<Float>, _ range: Range<Int>, channel c: Int) {
        switch function.kind {
        case .none: return
        case .relu:
            for p in range { let y = row[p]; row[p] = y < 0 ? 0 : y }
        case .clip:
            let lo = function.clipMin, hi = function.clipMax
            for p in range { let y = row[p]; row[p] = y < lo ? lo : (y > hi ? hi : y) }
        case .prelu:
            guard let slope else { return }
            let s = slope[slopeCount == 1 ? 0 : c]
            for p in range { let y = row[p]; row[p] = y < 0 ? y * s : y }
        }
    }
}

/// Applies an activation in place to planar [batch, channels, spatial] data.
public func applyActivationPlanar(_ data: UnsafeMutablePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                  _ a: ChannelActivation) {
    if a.isIdentity { return }
    for n in 0..<batch {
        for c in 0..<channels {
            a.applyRow(data + (n * channels + c) * spatial, 0..<spatial, channel: c)
        }
    }
}

/// Applies an activation in place to [rows, channels] data (a GEMM's output).
public func applyActivationRows(_ data: UnsafeMutablePointer<Float>, rows: Int, channels: Int, _ a: ChannelActivation) {
    if a.isIdentity { return }
    for r in 0..<rows {
        let row = data + r * channels
        for c in 0..<channels { row[c] = a.apply(row[c], channel: c) }
    }
}
