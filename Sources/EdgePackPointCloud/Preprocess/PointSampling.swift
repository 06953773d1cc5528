// Choosing which points of a frame feed the model. Both methods are deterministic and use
// integer arithmetic or IEEE float operations only (no transcendentals), so the host and the device
// pick the same points.

public enum PointSampling {
    /// `target` indices out of `count`: without replacement and in increasing order when
    /// count ≥ target (selection sampling, Knuth's Algorithm S, driven by SplitMixRandom(seed));
    /// when count < target, every point once then repeated cyclically (0, 1, ..., count-1, 0, 1, ...).
    public static func randomIndices(count: Int, target: Int, seed: UInt64) -> [Int] {
        precondition(count >= 0 && target >= 0)
        if count == 0 { return [] }
        if count <= target { return cyclic(count: count, target: target) }
        var rng = SplitMixRandom(seed: seed)
        var out: [Int] = []
        out.reserveCapacity(target)
        var i = 0
        while out.count < target {
            // Point i is taken with probability needed / remaining.
            if rng.next(below: count - i) < target - out.count { out.append(i) }
            i += 1
        }
        return out
    }

    /// Farthest-point sampling over row-major xyz (count × 3): start at point 0, then repeatedly take
    /// the point farthest (squared Euclidean, in Double) from all chosen so far; ties go to the
    /// lowest index. Fewer points than `target` are repeated cyclically, as in randomIndices.
    public static func farthestPointIndices(xyz: [Float], target: Int) -> [Int] {
        let count = xyz.count / 3
        if count == 0 { return [] }
        if count <= target { return cyclic(count: count, target: target) }
        var out: [Int] = [0]
        out.reserveCapacity(target)
        var nearest = [Double](repeating: .infinity, count: count)
        var last = 0
        while out.count < target {
            let lx = Double(xyz[last * 3]), ly = Double(xyz[last * 3 + 1]), lz = Double(xyz[last * 3 + 2])
            var best = -1
            var bestDistance = -1.0
            for i in 0..<count {
                let dx = Double(xyz[i * 3]) - lx
                let dy = Double(xyz[i * 3 + 1]) - ly
                let dz = Double(xyz[i * 3 + 2]) - lz
                let d = dx * dx + dy * dy + dz * dz
                if d < nearest[i] { nearest[i] = d }
                if nearest[i] > bestDistance {
                    bestDistance = nearest[i]
                    best = i
                }
            }
            out.append(best)
            last = best
        }
        return out
    }

    static func cyclic(count: Int, target: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(target)
        for j in 0..<target { out.append(j % count) }
        return out
    }
}
