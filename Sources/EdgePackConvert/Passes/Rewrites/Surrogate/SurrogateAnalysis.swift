/// Decides whether a value p computed elementwise from x alone (scalar constants, comparisons,
/// casts, Where, Clip, Neg, Add, Sub, Mul) satisfies, for every float32 x, p·sign(x) ≥ 0 and
/// |p| ≤ 1. Then fl(fl(sign(x) − p) + p) = sign(x) exactly (prove_ste.py sweeps every float32
/// p in [−1, 1]), which makes the straight-through binarizer sign(x).detach() − p.detach() + p
/// an exact Sign.
///
/// The comparison constants and clip bounds cut the float line into regions (each breakpoint is
/// a region of its own, and so is 0); on each region every mask is constant, so p reduces to a
/// `SurrogatePiece`, which must be a constant of the right sign or one of the forms checked on
/// their domain: x on [−1, 1], x² + 2x on [−1, 0], 2x − x² on [0, 1] (Bi-Real's polynomial).
struct SurrogateAnalysis {
    struct Result {
        /// True when the graph multiplies a non-constant by 0 to select a branch: it gives NaN
        /// where that branch overflows (|x| ≥ 2^64 for x·x) and the exact Sign does not.
        var overflowSelects: Bool
        var regions: Int
    }

    let g: Graph
    let producers: [String: Int]
    let x: String

    /// nil when p is not such a surrogate of x.
    func check(_ p: String) -> Result? {
        var breaks: Set<Float> = [0]
        var seen = Set<String>()
        guard collectBreakpoints(p, into: &breaks, seen: &seen, depth: 0) else { return nil }
        var overflow = false
        var count = 0
        for r in Self.regions(Array(breaks).sorted()) {
            var memo: [String: SurrogatePiece] = [:]
            guard let piece = value(p, at: r.sample, memo: &memo, overflow: &overflow), Self.holds(piece, on: r) else { return nil }
            count += 1
        }
        return Result(overflowSelects: overflow, regions: count)
    }

    struct Region { var sample: Float; var lo: Float; var hi: Float }

    /// Each breakpoint, and one sample inside each gap between them that holds a float32.
    static func regions(_ b: [Float]) -> [Region] {
        var out: [Region] = []
        let edges = [-Float.infinity] + b + [Float.infinity]
        for (i, e) in edges.enumerated() {
            if i > 0 {
                let lo = edges[i - 1]
                let mid = lo == -.infinity ? (e == .infinity ? 0 : e.nextDown) : (e == .infinity ? lo.nextUp : Float((Double(lo) + Double(e)) / 2))
                if mid > lo && mid < e { out.append(Region(sample: mid, lo: lo, hi: e)) }
            }
            if e.isFinite { out.append(Region(sample: e, lo: e, hi: e)) }
        }
        return out
    }

    /// p·sign(x) ≥ 0 and |p| ≤ 1 for every x of the region (infinities included at the ends).
    static func holds(_ p: SurrogatePiece, on r: Region) -> Bool {
        switch p {
        case .constant(let c):
            guard c.isFinite, abs(c) <= 1 else { return false }
            if r.lo >= 0 && r.hi > 0 { return c >= 0 }
            if r.hi <= 0 && r.lo < 0 { return c <= 0 }
            return r.lo == 0 && r.hi == 0
        case .linear(1): return r.lo >= -1 && r.hi <= 1
        case .quadratic(1, 2): return r.lo >= -1 && r.hi <= 0
        case .quadratic(-1, 2): return r.lo >= 0 && r.hi <= 1
        default: return false
        }
    }

    private func scalar(_ name: String) -> Float? {
        guard let t = g.initializers[name], t.count == 1 else { return nil }
        switch t.data {
        case .float32(let v): return v[0]
        case .float64(let v): return Float(exactly: v[0])
        case .int64(let v): return Float(exactly: v[0])
        case .int32(let v): return Float(exactly: v[0])
        case .bool(let v): return v[0] ? 1 : 0
        }
    }

    private static let comparisons: Set<String> = ["Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Equal"]
    private static let arithmetic: Set<String> = ["Add", "Sub", "Mul", "Neg", "Cast", "Not", "Where", "Clip", "Identity"]

    /// The constants x is compared with or clipped to; false when the cone reads anything but
    /// x and scalar constants, or holds an operator outside the checked set.
    private func collectBreakpoints(_ v: String, into b: inout Set<Float>, seen: inout Set<String>, depth: Int) -> Bool {
        if v == x || scalar(v) != nil || !seen.insert(v).inserted { return true }
        // Bounded, so that a hostile graph cannot make the walks below deep or slow.
        guard depth < 64, seen.count <= 512, let i = producers[v] else { return false }
        let n = g.nodes[i]
        guard n.domain.isEmpty, Self.comparisons.contains(n.opType) || Self.arithmetic.contains(n.opType) else { return false }
        if Self.comparisons.contains(n.opType) || n.opType == "Clip" {
            for k in n.inputs.dropFirst(n.opType == "Clip" ? 1 : 0) where !k.isEmpty {
                if let c = scalar(k) { guard !c.isNaN else { return false }; b.insert(c) }
            }
        }
        for a in n.inputs where !a.isEmpty {
            guard collectBreakpoints(a, into: &b, seen: &seen, depth: depth + 1) else { return false }
        }
        return true
    }

    private func value(_ v: String, at s: Float, memo: inout [String: SurrogatePiece], overflow: inout Bool) -> SurrogatePiece? {
        if v == x { return .linear(1) }
        if let c = scalar(v) { return .constant(c) }
        if let m = memo[v] { return m }
        guard let i = producers[v] else { return nil }
        let n = g.nodes[i]
        var args: [SurrogatePiece?] = []
        for a in n.inputs {
            if a.isEmpty { args.append(nil); continue }
            guard let v = value(a, at: s, memo: &memo, overflow: &overflow) else { return nil }
            args.append(v)
        }
        guard let r = apply(n, args, at: s, overflow: &overflow) else { return nil }
        memo[v] = r
        return r
    }

    private func apply(_ n: Node, _ a: [SurrogatePiece?], at s: Float, overflow: inout Bool) -> SurrogatePiece? {
        func arg(_ i: Int) -> SurrogatePiece? { i < a.count ? a[i] : nil }
        switch n.opType {
        case "Identity": return arg(0)
        case "Neg": return arg(0).flatMap(SurrogatePiece.negated)
        case "Add": return arg(0).flatMap { p in arg(1).flatMap { SurrogatePiece.sum(p, $0) } }
        case "Sub": return arg(0).flatMap { p in arg(1).flatMap(SurrogatePiece.negated).flatMap { SurrogatePiece.sum(p, $0) } }
        case "Mul": return arg(0).flatMap { p in arg(1).flatMap { SurrogatePiece.product(p, $0, overflowSelects: &overflow) } }
        case "Cast":
            guard (try? n.int("to")) == Int64(DataType.float32.rawValue) else {
                if case .mask = arg(0) { return arg(0) }
                return nil
            }
            if case .mask(let m) = arg(0) { return .constant(m ? 1 : 0) }
            return arg(0)
        case "Not":
            if case .mask(let m) = arg(0) { return .mask(!m) }
            return nil
        case "Where":
            guard case .mask(let m) = arg(0) else { return nil }
            return m ? arg(1) : arg(2)
        case "Clip":
            guard arg(0) == .linear(1) else { return nil }
            let lo: Float, hi: Float
            if n.input(1) == nil { lo = -.infinity } else { guard case .constant(let c) = arg(1) else { return nil }; lo = c }
            if n.input(2) == nil { hi = .infinity } else { guard case .constant(let c) = arg(2) else { return nil }; hi = c }
            if s < lo { return .constant(lo) }
            if s > hi { return .constant(hi) }
            return .linear(1)
        default:
            return compare(n.opType, arg(0), arg(1), at: s)
        }
    }

    /// A comparison of x (or a constant) with a constant, at the region's sample: constant over
    /// the region because the constant is one of its breakpoints.
    private func compare(_ op: String, _ a: SurrogatePiece?, _ b: SurrogatePiece?, at s: Float) -> SurrogatePiece? {
        func operand(_ p: SurrogatePiece?) -> Float? {
            switch p {
            case .constant(let c): c
            case .linear(1): s
            default: nil
            }
        }
        guard let l = operand(a), let r = operand(b) else { return nil }
        switch op {
        case "Less": return .mask(l < r)
        case "Greater": return .mask(l > r)
        case "LessOrEqual": return .mask(l <= r)
        case "GreaterOrEqual": return .mask(l >= r)
        case "Equal": return .mask(l == r)
        default: return nil
        }
    }
}
