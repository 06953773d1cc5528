import Foundation
import EdgePackRuntime

/// Elementwise unary ops and Clip. Log and Exp use the C library (correctly rounded in glibc
/// for float); onnxruntime uses Eigen's polynomial versions, which can differ in the last bit.
extension Evaluator {
    static func unary(_ op: String, _ x: Tensor) throws -> Tensor {
        let data: TensorData
        switch x.data {
        case .float32(let v) where op == "Sin" || op == "Cos":   // the runtime's own sin/cos, same bits
            data = .float32(v.map { op == "Sin" ? EPMath.sin($0) : EPMath.cos($0) })
        case .float64(let v) where op == "Sin" || op == "Cos":
            data = .float64(v.map { op == "Sin" ? Foundation.sin($0) : Foundation.cos($0) })
        case .float32(let v): data = .float32(try v.map(floatOp(op, log: logf, exp: expf)))
        case .float64(let v): data = .float64(try v.map(floatOp(op, log: Foundation.log, exp: Foundation.exp)))
        case .int64(let v): data = .int64(try v.map(intOp(op)))
        case .int32(let v): data = .int32(try v.map(intOp(op)))
        case .bool: throw EvalError.invalid("\(op) of BOOL is not supported")
        }
        return Tensor(shape: x.shape, data: data)
    }

    private static func floatOp<F: BinaryFloatingPoint>(_ op: String, log: @escaping (F) -> F, exp: @escaping (F) -> F) throws -> (F) -> F {
        switch op {
        case "Neg": return { -$0 }
        case "Abs": return { Swift.abs($0) }
        case "Sign": return { $0 > 0 ? 1 : $0 < 0 ? -1 : $0.isNaN ? .nan : 0 }
        case "Sqrt": return { $0.squareRoot() }
        case "Reciprocal": return { 1 / $0 }
        case "Log": return log
        case "Exp": return exp
        case "Round": return { $0.rounded(.toNearestOrEven) }   // ONNX rounds halves to even
        case "Floor": return { $0.rounded(.down) }
        case "Ceil": return { $0.rounded(.up) }
        case "Relu": return { $0 < 0 ? 0 : $0 }     // max(x, 0): keeps -0 and NaN, as onnxruntime
        default: throw EvalError.invalid("\(op) is not defined for floats")
        }
    }

    private static func intOp<I: FixedWidthInteger & SignedInteger>(_ op: String) throws -> (I) -> I {
        switch op {
        case "Neg": return { 0 &- $0 }
        case "Abs": return { $0 < 0 ? 0 &- $0 : $0 }
        case "Sign": return { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
        case "Relu": return { $0 > 0 ? $0 : 0 }
        default: throw EvalError.invalid("\(op) is not defined for integers")
        }
    }

    /// Clip(x, min, max) with optional bounds (inputs since opset 11): min(max(x, lo), hi).
    static func clip(_ c: EvalContext) throws -> Tensor {
        let x = try c.input(0)
        let lo = c.optionalInput(1), hi = c.optionalInput(2)
        for b in [lo, hi] {
            if let b, b.count != 1 || b.dtype != x.dtype { throw EvalError.invalid("Clip bounds must be scalars of the input's type") }
        }
        func bounded<T: Comparable>(_ v: [T], _ l: T?, _ h: T?) -> [T] {
            v.map { e in
                var r = e
                if let l, r < l { r = l }
                if let h, r > h { r = h }
                return r
            }
        }
        let data: TensorData
        switch x.data {
        case .float32(let v): data = .float32(bounded(v, lo?.floats?[0], hi?.floats?[0]))
        case .float64(let v):
            func d(_ t: Tensor?) -> Double? { if case .float64(let a)? = t?.data { a[0] } else { nil } }
            data = .float64(bounded(v, d(lo), d(hi)))
        case .int64(let v): data = .int64(bounded(v, lo?.integers?[0], hi?.integers?[0]))
        case .int32(let v):
            func i(_ t: Tensor?) -> Int32? { if case .int32(let a)? = t?.data { a[0] } else { nil } }
            data = .int32(bounded(v, i(lo), i(hi)))
        case .bool: throw EvalError.invalid("Clip of BOOL is not supported")
        }
        return Tensor(shape: x.shape, data: data)
    }
}
