/// The float32 value of a straight-through surrogate p(x) on one region of x (an interval
/// between the surrogate's breakpoints, or a breakpoint itself), in the few forms whose
/// arithmetic is exact or was checked for every float32 x (Datasets/fixtures/prove_ste.py).
enum SurrogatePiece: Equatable {
    case constant(Float)
    /// The result of a comparison, constant on the region.
    case mask(Bool)
    /// k·x with k ∈ {±1, ±2}: exact.
    case linear(Float)
    /// k·fl(x·x) with k = ±1: one rounding, negation exact.
    case square(Float)
    /// fl(q·fl(x·x) + l·x): the sum rounds once more.
    case quadratic(square: Float, linear: Float)

    var isConstant: Bool { if case .constant = self { true } else { false } }

    static func negated(_ p: SurrogatePiece) -> SurrogatePiece? {
        switch p {
        case .constant(let c): .constant(-c)
        case .linear(let k): .linear(-k)
        case .square(let k): .square(-k)
        case .quadratic(let q, let l): .quadratic(square: -q, linear: -l)
        case .mask: nil
        }
    }

    /// a·b, or nil when the product leaves the exact forms. `overflowSelects` is set when a
    /// non-constant is multiplied by 0: the graph gives NaN where that value overflows.
    static func product(_ a: SurrogatePiece, _ b: SurrogatePiece, overflowSelects: inout Bool) -> SurrogatePiece? {
        switch (a, b) {
        case (.constant(let x), .constant(let y)): return .constant(x * y)
        case (.constant(0), let v), (let v, .constant(0)):
            if case .mask = v { return nil }
            overflowSelects = true
            return .constant(0)
        case (.constant(1), let v), (let v, .constant(1)): return v
        case (.constant(let k), .linear(let s)), (.linear(let s), .constant(let k)):
            return [1, 2].contains(abs(k * s)) && [1, 2].contains(abs(k)) ? .linear(k * s) : nil
        case (.constant(let k), .square(let s)), (.square(let s), .constant(let k)):
            return abs(k) == 1 ? .square(k * s) : nil
        case (.linear(let s), .linear(let t)):
            return abs(s * t) == 1 ? .square(s * t) : nil
        default: return nil
        }
    }

    /// a + b, or nil when the sum leaves the checked forms.
    static func sum(_ a: SurrogatePiece, _ b: SurrogatePiece) -> SurrogatePiece? {
        switch (a, b) {
        case (.constant(let x), .constant(let y)): return .constant(x + y)
        // v + 0 is v (up to the sign of a zero, which the surrogate's use ignores).
        case (.constant(0), let v), (let v, .constant(0)):
            if case .mask = v { return nil }
            return v
        case (.square(let q), .linear(let l)), (.linear(let l), .square(let q)): return .quadratic(square: q, linear: l)
        default: return nil
        }
    }
}
