import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Testing

/// SignThresholds finds each channel's sign changes by bisection on the chain's monotone runs;
/// checked here against the chain itself, evaluated at every dot product, over chains of every
/// activation with scales, slopes and post scales of both signs, zeros, huge and non-finite values
/// (which must take the exhaustive path).
struct SignThresholdTests {
    struct Case {
        var scale: [Float], bias: [Float], slope: [Float], postScale: [Float], postBias: [Float]
        var activation: FusedActivation, post: Bool, threshold: Float, maxDot: Int
    }

    static func pick(_ rng: inout SplitMix64, _ values: [Float]) -> Float { values[Int(rng.next() % UInt64(values.count))] }

    static func randomCase(_ rng: inout SplitMix64, channels: Int) -> Case {
        let maxDot = [1, 7, 64, 128, 256, 1000][Int(rng.next() % 6)]
        func value(_ scale: Float) -> Float {
            switch rng.next() % 10 {
            case 0: return 0
            case 1: return pick(&rng, [1e30, -1e30, 3e38, -3e38, .infinity, -.infinity, .nan, 1e-30, -0.0])
            default: return (Float(rng.next() % 20001) / 10000 - 1) * scale
            }
        }
        var c = Case(scale: [], bias: [], slope: [], postScale: [], postBias: [], activation: FusedActivation(),
                     post: rng.next() % 2 == 0, threshold: rng.next() % 3 == 0 ? 0 : value(2), maxDot: maxDot)
        for _ in 0..<channels {
            c.scale.append(value(0.05))
            c.bias.append(value(Float(maxDot) * 0.05))  // so that the pre-activation often crosses 0 inside the range
            c.slope.append(value(1))
            c.postScale.append(value(2))
            c.postBias.append(value(2))
        }
        let kinds: [Activation] = [.none, .relu, .clip, .prelu]
        c.activation.kind = kinds[Int(rng.next() % 4)]
        if c.activation.kind == .clip {
            let a = value(1), b = value(1)
            c.activation.clipMin = min(a, b); c.activation.clipMax = max(a, b)
        }
        return c
    }

    /// The thresholds (or the channel thrown) with the search and with the exhaustive scan, and
    /// whether the search's bits equal the chain's at every dot product.
    static func run(_ k: Case, channels: Int) -> (search: String, scan: String, mismatches: Int, changing: Int) {
        k.scale.withUnsafeBufferPointer { s in k.bias.withUnsafeBufferPointer { b in k.slope.withUnsafeBufferPointer { sl in
        k.postScale.withUnsafeBufferPointer { ps in k.postBias.withUnsafeBufferPointer { pb in
            let act = ChannelActivation(k.activation, slope: k.activation.kind == .prelu ? sl.baseAddress : nil,
                                        slopeCount: channels)
            let chain = SignChain(OutputTransform(scale: s.baseAddress!, bias: b.baseAddress!, activation: act),
                                  postScale: k.post ? ps.baseAddress : nil, postBias: k.post ? pb.baseAddress : nil,
                                  threshold: k.threshold)
            func describe(_ exhaustive: Bool) -> (String, SignThresholds?) {
                do {
                    let t = try SignThresholds(chain, channels: channels, maxDot: k.maxDot, exhaustive: exhaustive)
                    return ("\(t.lo) \(t.width) \(t.flip)", t)
                } catch { return ("channel \(error.channel) is not one interval", nil) }
            }
            let (search, found) = describe(false), (scan, _) = describe(true)
            var mismatches = 0, changing = 0
            if let found {
                for c in 0..<channels {
                    if found.width[c] < 2 * UInt32(k.maxDot) { changing += 1 }
                    for d in -k.maxDot...k.maxDot {
                        let inside = d >= Int(found.lo[c]) && d <= Int(found.lo[c]) + Int(found.width[c])
                        let set = inside != (found.flip[c] != 0)
                        if set != chain.isNegative(Float(d), channel: c) { mismatches += 1 }
                    }
                }
            }
            return (search, scan, mismatches, changing)
        }}}}}
    }

    @Test func searchEqualsTheChainAtEveryDotProduct() {
        var rng = SplitMix64(seed: testSeed("sign-threshold-search"))
        var channels = 0, changing = 0
        for i in 0..<3000 {
            let n = 1 + Int(rng.next() % 4)
            let k = Self.randomCase(&rng, channels: n)
            let (search, scan, mismatches, changes) = Self.run(k, channels: n)
            #expect(search == scan, "case \(i): \(k)")
            #expect(mismatches == 0, "case \(i): \(mismatches) dot products differ from the chain: \(k)")
            channels += n; changing += changes
        }
        // Many channels change sign inside the range, where the bisection has work to do.
        #expect(changing * 10 > channels, "\(changing) of \(channels) channels change sign inside the range")
    }

    /// The bracket-and-bisect search on its own: every change point of every range up to 40 wide,
    /// from every guess inside, outside and not finite, both directions of the step.
    @Test func firstChangeFromAnyGuess() {
        var wrong = 0
        for width in 1...40 {
            let a = -7, z = a + width
            for change in (a + 1)...z {
                for rising in [false, true] {
                    for guess in Array(stride(from: Double(a - 3), through: Double(z + 3), by: 0.5)) + [.nan, .infinity, -.infinity, 1e300] {
                        let found = SignChain.firstChange(a, z, first: !rising, guess: guess) { ($0 >= change) == rising }
                        if found != change { wrong += 1 }
                    }
                }
            }
        }
        #expect(wrong == 0)
    }

    /// The keyword spotter's shape of chain: BN-folded scale and bias, a PReLU of negative slope (a V
    /// whose sign is an interval), a post affine; every change point at a run's edge or in it.
    @Test func vShapedChainsAtTheEdgesOfTheRange() {
        for maxDot in [1, 2, 3, 128, 256] {
            for bias in [-Float(maxDot), -Float(maxDot) + 0.5, -0.5, 0, 0.5, Float(maxDot) - 0.5, Float(maxDot)] {
                for threshold: Float in [-0.75, 0, 0.25, Float(maxDot) / 2] {
                    let k = Case(scale: [1], bias: [bias], slope: [-0.5], postScale: [1], postBias: [0],
                                 activation: FusedActivation(kind: .prelu), post: true, threshold: threshold, maxDot: maxDot)
                    let (search, scan, mismatches, _) = Self.run(k, channels: 1)
                    #expect(search == scan && mismatches == 0, "\(k): \(search) against \(scan)")
                }
            }
        }
    }
}
