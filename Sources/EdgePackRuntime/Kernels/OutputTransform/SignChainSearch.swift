import EdgePackFormat

// Where a SignChain's sign bit changes over the dot products -maxDot...maxDot, for SignThresholds.
// Evaluating the chain at all 2·maxDot + 1 of them for every channel cost the keyword spotter
// 16.8 M of the 21.9 M aarch64 instructions of its cold start. Each rounded float step of the chain
// (multiply by a constant, add a constant, compare) is monotone in its input, and each activation is
// monotone on either side of 0, so the bit is monotone on the (at most two) runs of dot products
// where the pre-activation keeps its sign: a bisection finds each change exactly. That holds only
// while no step can overflow to infinity or make a NaN (inf·0, inf − inf), which the bounds below
// rule out; any other chain is evaluated at every dot product.

/// The dot products where a channel's bit differs from the one before, in order: the first three
/// (a fourth changes nothing for SignThresholds, which refuses more than two). No allocation:
/// SignThresholds asks for one per channel.
struct SignChanges {
    private(set) var count = 0
    private var at = (0, 0, 0)

    mutating func append(_ d: Int) {
        switch count {
        case 0: at.0 = d
        case 1: at.1 = d
        case 2: at.2 = d
        default: return
        }
        count += 1
    }

    subscript(_ i: Int) -> Int { i == 0 ? at.0 : (i == 1 ? at.1 : at.2) }
}

extension SignChain {
    /// Whether every step of channel c's chain stays finite for every dot product in
    /// -maxDot...maxDot (bounds in Double, far below Float's largest value), so that the chain is
    /// monotone on either side of the activation's input sign.
    func isPiecewiseMonotone(channel c: Int, maxDot: Int) -> Bool {
        let limit = 1e36
        let scale = transform.scale[c], bias = transform.bias[c]
        guard scale.isFinite, bias.isFinite, threshold.isFinite else { return false }
        let pre = Double(scale.magnitude) * Double(maxDot) + Double(bias.magnitude)
        var act = pre
        let f = transform.activation.function
        switch f.kind {
        case .none, .relu: break
        case .clip:
            guard f.clipMin.isFinite, f.clipMax.isFinite else { return false }
            act = max(pre, Double(f.clipMin.magnitude), Double(f.clipMax.magnitude))
        case .prelu:
            if let slope = transform.activation.slope {
                let s = slope[transform.activation.slopeCount == 1 ? 0 : c]
                guard s.isFinite else { return false }
                act = pre * max(1, Double(s.magnitude))
            }
        }
        var value = act
        if let postScale, let postBias {
            guard postScale[c].isFinite, postBias[c].isFinite else { return false }
            value = act * Double(postScale[c].magnitude) + Double(postBias[c].magnitude)
        }
        return pre < limit && act < limit && value < limit
    }

    /// The dot products where channel c's bit differs from the one before, in order (at most
    /// three: a fourth would change nothing for the caller), by bisection on each monotone run;
    /// `first` is the bit at -maxDot. Only for chains isPiecewiseMonotone accepts.
    func changesByPieces(channel c: Int, maxDot: Int, first: Bool) -> SignChanges {
        let t = transform
        let scale = Double(t.scale[c]), bias = Double(t.bias[c])
        // A PReLU of negative slope is the one activation that is not monotone: it turns where its
        // input changes sign, which splits the dot products into two runs, -maxDot..<split and
        // split...maxDot. Every other chain is one monotone run.
        var slope = 1.0
        if t.activation.function.kind == .prelu, let s = t.activation.slope {
            slope = Double(s[t.activation.slopeCount == 1 ? 0 : c])
        }
        var split = -maxDot
        let firstBelow = t.preActivation(Float(-maxDot), channel: c) < 0
        if slope < 0 && firstBelow != (t.preActivation(Float(maxDot), channel: c) < 0) {
            split = SignChain.firstChange(-maxDot, maxDot, first: firstBelow, guess: -bias / scale) {
                t.preActivation(Float($0), channel: c) < 0
            }
        }
        // Where the value crosses the threshold, solved in Double: only a guess to start from.
        var y = Double(threshold)
        if let postScale, let postBias { y = (y - Double(postBias[c])) / Double(postScale[c]) }
        var changes = SignChanges()
        var previous = first
        func run(_ a: Int, _ z: Int, below: Bool) {
            guard a <= z else { return }
            let start = a == -maxDot ? first : isNegative(Float(a), channel: c)
            let end = isNegative(Float(z), channel: c)
            if start != previous { changes.append(a) }
            if end != start {
                let x = below && slope != 0 ? y / slope : y
                changes.append(SignChain.firstChange(a, z, first: start, guess: (x - bias) / scale) {
                    isNegative(Float($0), channel: c)
                })
            }
            previous = end
        }
        run(-maxDot, split - 1, below: firstBelow)
        run(split, maxDot, below: split == -maxDot ? firstBelow : !firstBelow)
        return changes
    }

    /// The same by evaluating every dot product (stops after a third change).
    func changesByScan(channel c: Int, maxDot: Int) -> SignChanges {
        var previous = isNegative(Float(-maxDot), channel: c)
        var changes = SignChanges()
        var d = -maxDot + 1
        while d <= maxDot && changes.count < 3 {
            let bit = isNegative(Float(d), channel: c)
            if bit != previous { changes.append(d); previous = bit }
            d += 1
        }
        return changes
    }

    /// The first d in a+1...z where `test` differs from `first` = test(a), for a test monotone on
    /// a...z that differs at z: brackets it by steps doubling away from `guess` (any value; a good
    /// one takes two tests), then bisects.
    @inline(__always)
    public static func firstChange(_ a: Int, _ z: Int, first: Bool, guess: Double, _ test: (Int) -> Bool) -> Int {
        var lo = a, hi = z           // test(lo) == first, test(hi) != first
        if guess.isFinite, z - a > 2 {
            let g = guess <= Double(a + 1) ? a + 1 : (guess >= Double(z) ? z : Int(guess.rounded(.up)))
            var step = 1
            if test(g) == first {
                lo = g
                while lo + step < hi && test(lo + step) == first { lo += step; step *= 2 }
                hi = min(hi, lo + step)
            } else {
                hi = g
                while hi - step > lo && test(hi - step) != first { hi -= step; step *= 2 }
                lo = max(lo, hi - step)
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if test(mid) == first { lo = mid } else { hi = mid }
        }
        return hi
    }
}
