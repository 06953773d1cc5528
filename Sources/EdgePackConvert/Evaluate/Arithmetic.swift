import Foundation

/// Binary arithmetic with broadcasting. Each result is one IEEE operation in the element type,
/// as onnxruntime's kernels do it; integers wrap like C++ and integer division truncates.
extension Evaluator {
    static func arithmetic(_ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.dtype == b.dtype else { throw EvalError.invalid("\(op) needs equal element types, got \(a.dtype) and \(b.dtype)") }
        let shape = try Broadcast.shape([a.shape, b.shape])
        func apply<T>(_ x: [T], _ y: [T], _ f: (T, T) -> T) -> [T] { Broadcast.map2(x, a.shape, y, b.shape, to: shape, f) }
        let data: TensorData
        switch (a.data, b.data) {
        case (.float32(let x), .float32(let y)): data = .float32(apply(x, y, floatOp(op)))
        case (.float64(let x), .float64(let y)): data = .float64(apply(x, y, floatOp(op)))
        case (.int64(let x), .int64(let y)):
            if op == "Div" { try checkDivisor(y) }
            data = .int64(apply(x, y, intOp(op)))
        case (.int32(let x), .int32(let y)):
            if op == "Div" { try checkDivisor(y) }
            data = .int32(apply(x, y, intOp(op)))
        default: throw EvalError.invalid("\(op) of \(a.dtype) is not supported")
        }
        return Tensor(shape: shape, data: data)
    }

    private static func floatOp<F: BinaryFloatingPoint>(_ op: String) -> (F, F) -> F {
        switch op {
        case "Add": { $0 + $1 }
        case "Sub": { $0 - $1 }
        case "Mul": { $0 * $1 }
        case "Div": { $0 / $1 }
        // NaN propagates (onnxruntime's Min/Max since 1.x).
        case "Min": { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        default: { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        }
    }

    private static func intOp<I: FixedWidthInteger>(_ op: String) -> (I, I) -> I {
        switch op {
        case "Add": { $0 &+ $1 }
        case "Sub": { $0 &- $1 }
        case "Mul": { $0 &* $1 }
        case "Div": { $0.dividedReportingOverflow(by: $1).partialValue }
        case "Min": { Swift.min($0, $1) }
        default: { Swift.max($0, $1) }
        }
    }

    private static func checkDivisor<I: FixedWidthInteger>(_ y: [I]) throws {
        if y.contains(0) { throw EvalError.invalid("integer division by zero") }
    }

    /// Min/Max take one or more inputs, all broadcast together.
    static func minMax(_ c: EvalContext) throws -> Tensor {
        var acc = try c.input(0)
        for i in 1..<max(c.inputs.count, 1) { acc = try arithmetic(c.node.opType, acc, try c.input(i)) }
        return acc
    }

    /// Pow as onnxruntime computes it: a single-element exponent of 2 or 3 is x*x or x*x*x in
    /// the element type; otherwise std::pow — powf for float by float, and through double for
    /// a float base with a double or integer exponent (C++ promotes std::pow(float, int64)).
    static func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try Broadcast.shape([a.shape, b.shape])
        let scalarExponent: Double? = b.count == 1 ? {
            switch b.data {
            case .float32(let v): Double(v[0])
            case .float64(let v): v[0]
            case .int64(let v): Double(v[0])
            case .int32(let v): Double(v[0])
            case .bool: nil
            }
        }() : nil
        func apply<X, Y, R>(_ x: [X], _ y: [Y], _ f: (X, Y) -> R) -> [R] { Broadcast.map2(x, a.shape, y, b.shape, to: shape, f) }
        func special<F: BinaryFloatingPoint>(_ x: [F]) -> [F]? {
            switch scalarExponent {
            case 2: Broadcast.map2(x, a.shape, [0], [], to: shape) { v, _ in v * v }
            case 3: Broadcast.map2(x, a.shape, [0], [], to: shape) { v, _ in v * v * v }
            default: nil
            }
        }
        let data: TensorData
        switch (a.data, b.data) {
        case (.float32(let x), _) where special(x) != nil: data = .float32(special(x)!)
        case (.float64(let x), _) where special(x) != nil: data = .float64(special(x)!)
        case (.float32(let x), .float32(let y)): data = .float32(apply(x, y) { powf($0, $1) })
        case (.float32(let x), .float64(let y)): data = .float32(apply(x, y) { Float(Foundation.pow(Double($0), $1)) })
        case (.float32(let x), .int64(let y)): data = .float32(apply(x, y) { Float(Foundation.pow(Double($0), Double($1))) })
        case (.float32(let x), .int32(let y)): data = .float32(apply(x, y) { Float(Foundation.pow(Double($0), Double($1))) })
        case (.float64(let x), .float64(let y)): data = .float64(apply(x, y) { Foundation.pow($0, $1) })
        case (.float64(let x), .float32(let y)): data = .float64(apply(x, y) { Foundation.pow($0, Double($1)) })
        case (.float64(let x), .int64(let y)): data = .float64(apply(x, y) { Foundation.pow($0, Double($1)) })
        case (.int64(let x), .int64(let y)): data = .int64(try apply(x, y) { (p, q) in (p, q) }.map(integerPower))
        case (.int32(let x), .int32(let y)): data = .int32(try apply(x, y) { (Int64($0), Int64($1)) }.map(integerPower).map { Int32(truncatingIfNeeded: $0) })
        case (.int64(let x), .float32(let y)): data = .int64(try apply(x, y) { (p, q) in Foundation.pow(Double(p), Double(q)) }.map(toInt))
        default: throw EvalError.invalid("Pow of \(a.dtype) by \(b.dtype) is not supported")
        }
        return Tensor(shape: shape, data: data)
    }

    private static func integerPower(_ p: (Int64, Int64)) throws -> Int64 {
        let (base, exp) = p
        guard exp >= 0 else { throw EvalError.invalid("integer Pow with negative exponent \(exp)") }
        // Square-and-multiply modulo 2^64: the wrapped result C++ gives for any exponent.
        var r: Int64 = 1, b = base, e = exp
        while e > 0 {
            if e & 1 == 1 { r = r &* b }
            b = b &* b
            e >>= 1
        }
        return r
    }

    private static func toInt(_ v: Double) throws -> Int64 {
        guard v.isFinite, let i = Int64(exactly: v.rounded(.towardZero)) else { throw EvalError.invalid("Pow result \(v) does not fit INT64") }
        return i
    }
}
