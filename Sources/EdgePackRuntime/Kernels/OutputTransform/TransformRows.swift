import EdgePackFormat

// The float output transform over runs of xor counts, eight values a step: dot = validK - 2 *
// count, y = scale * dot + bias, then the activation, with the same float operations as
// OutputTransform.apply, so the same bits. Counts are at most the depth K, so the integer steps
// cannot overflow (wrapping arithmetic, no checks).

extension ChannelActivation {
    /// `apply` on eight values; `slope` holds their PReLU slopes.
    @inline(__always)
    func apply8(_ y: SIMD8<Float>, slope: SIMD8<Float>) -> SIMD8<Float> {
        switch function.kind {
        case .none: return y
        case .relu: return y.replacing(with: 0, where: y .< 0)
        case .clip:
            // lo <= hi (verified), so at most one replacement applies, as in `apply`.
            return y.replacing(with: function.clipMax, where: y .> function.clipMax)
                .replacing(with: function.clipMin, where: y .< function.clipMin)
        case .prelu: return y.replacing(with: y * slope, where: y .< 0)
        }
    }

    /// The PReLU slope of channel c (0 when there is none: unused then).
    @inline(__always)
    func slope(channel c: Int) -> Float {
        guard let slope else { return 0 }
        return slope[slopeCount == 1 ? 0 : c]
    }
}

@inline(__always)
func floats8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func store8(_ p: UnsafeMutablePointer<Float>, _ v: SIMD8<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// One output channel over `count` positions: out[i] = transform(validK[i] - 2 * counts[i]).
@inline(__always)
public func transformChannel(_ counts: UnsafePointer<Int32>, validK: UnsafePointer<Int32>, count: Int,
                             _ t: OutputTransform, channel c: Int, _ out: UnsafeMutablePointer<Float>) {
    let s = t.scale[c], b = t.bias[c], slope = SIMD8<Float>(repeating: t.activation.slope(channel: c))
    var i = 0
    while i + 8 <= count {
        let dot = SIMD8<Float>(load8(validK + i) &- (load8(counts + i) &<< 1))
        store8(out + i, t.activation.apply8(dot * s + b, slope: slope))
        i += 8
    }
    while i < count {
        out[i] = t.apply(Float(validK[i] &- (counts[i] &<< 1)), channel: c)
        i += 1
    }
}

/// One row of `n` channels with the same dot length: out[c] = transform_c(validK - 2 * counts[c]).
@inline(__always)
public func transformRow(_ counts: UnsafePointer<Int32>, n: Int, validK: Int32, _ t: OutputTransform,
                         _ out: UnsafeMutablePointer<Float>) {
    let k = SIMD8<Int32>(repeating: validK)
    let a = t.activation
    let perChannelSlope = a.function.kind == .prelu && a.slopeCount != 1
    var c = 0
    while c + 8 <= n {
        let dot = SIMD8<Float>(k &- (load8(counts + c) &<< 1))
        let slope = perChannelSlope ? floats8(a.slope.unsafelyUnwrapped + c) : SIMD8<Float>(repeating: a.slope(channel: c))
        store8(out + c, a.apply8(dot * floats8(t.scale + c) + floats8(t.bias + c), slope: slope))
        c += 8
    }
    while c < n {
        out[c] = t.apply(Float(validK &- (counts[c] &<< 1)), channel: c)
        c += 1
    }
}
