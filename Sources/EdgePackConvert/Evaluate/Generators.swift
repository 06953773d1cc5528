import Foundation

/// Ops that make tensors from attributes or scalars, and type conversion.
extension Evaluator {
    static func constant(_ c: EvalContext) throws -> Tensor {
        let n = c.node
        if let t = try n.tensor("value") { return t }
        if let v = try n.float("value_float") { return Tensor(shape: [], floats: [v]) }
        if let v = try n.floats("value_floats") { return Tensor(shape: [v.count], floats: v) }
        if let v = try n.int("value_int") { return Tensor(shape: [], int64s: [v]) }
        if let v = try n.ints("value_ints") { return Tensor(shape: [v.count], int64s: v) }
        let kinds = n.attributes.keys.sorted().joined(separator: ", ")
        throw EvalError.invalid("Constant has no supported value attribute (found: \(kinds.isEmpty ? "none" : kinds))")
    }

    static func constantOfShape(_ c: EvalContext) throws -> Tensor {
        let shape = try checkedShape(try c.integers(0))
        let value = try c.node.tensor("value") ?? Tensor(shape: [1], floats: [0])
        guard value.count == 1 else { throw EvalError.invalid("'value' must hold one element, holds \(value.count)") }
        let n = Tensor.elementCount(shape) ?? 0
        guard n <= maxBytes / value.data.elementSize else {
            throw EvalError.invalid("shape \(shape) of \(value.data.dtype) needs \(n * value.data.elementSize) bytes, over the \(maxBytes >> 20) MiB a folded tensor may take")
        }
        return Tensor(shape: shape, data: value.data.repeatingFirst(n))
    }

    /// A shape read from a tensor, with sizes small enough to materialize.
    static func checkedShape(_ dims: [Int64]) throws -> [Int] {
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw EvalError.invalid("shape \(dims) has a negative or huge dimension")
        }
        let shape = dims.map { Int($0) }
        guard let n = Tensor.elementCount(shape), n <= maxElements else { throw EvalError.invalid("shape \(shape) is too large to fold") }
        return shape
    }

    /// Largest tensor the folder materializes (1 GiB of float32).
    static let maxElements = 1 << 28
    /// Largest tensor a generator (ConstantOfShape) materializes from a few bytes of file.
    static let maxBytes = 1 << 29

    /// onnxruntime's Range: n = ceil((limit - start) / delta), then values accumulated by
    /// repeated addition in the element type.
    static func range(_ c: EvalContext) throws -> Tensor {
        let s = try c.input(0), l = try c.input(1), d = try c.input(2)
        guard s.count == 1, l.count == 1, d.count == 1, s.dtype == l.dtype, s.dtype == d.dtype else {
            throw EvalError.invalid("start, limit and delta must be scalars of one type")
        }
        func count(_ span: Double, _ delta: Double) throws -> Int {
            guard delta != 0 else { throw EvalError.invalid("delta is 0") }
            let n = (span / delta).rounded(.up)
            guard n.isFinite, n < Double(maxElements) else { throw EvalError.invalid("range has too many elements") }
            return max(Int(n), 0)
        }
        switch (s.data, l.data, d.data) {
        case (.float32(let a), .float32(let b), .float32(let e)):
            let n = try count(Double(b[0] - a[0]), Double(e[0]))
            var v: [Float] = []; var x = a[0]
            for _ in 0..<n { v.append(x); x += e[0] }
            return Tensor(shape: [n], floats: v)
        case (.float64(let a), .float64(let b), .float64(let e)):
            let n = try count(b[0] - a[0], e[0])
            var v: [Double] = []; var x = a[0]
            for _ in 0..<n { v.append(x); x += e[0] }
            return Tensor(shape: [n], data: .float64(v))
        case (.int64(let a), .int64(let b), .int64(let e)):
            let n = try count(Double(b[0]) - Double(a[0]), Double(e[0]))
            return Tensor(shape: [n], int64s: (0..<n).map { a[0] &+ Int64($0) &* e[0] })
        case (.int32(let a), .int32(let b), .int32(let e)):
            let n = try count(Double(b[0]) - Double(a[0]), Double(e[0]))
            return Tensor(shape: [n], data: .int32((0..<n).map { a[0] &+ Int32(truncatingIfNeeded: $0) &* e[0] }))
        default:
            throw EvalError.invalid("Range of \(s.dtype) is not supported")
        }
    }

    /// Element conversion as C++ static_cast does it, except that a float that does not fit the
    /// integer type is an error instead of undefined behaviour.
    static func cast(_ t: Tensor, to: DataType) throws -> Tensor {
        if t.dtype == to { return t }
        func toInt64<F: BinaryFloatingPoint>(_ v: [F]) throws -> [Int64] {
            try v.map { x in
                guard x.isFinite, let i = Int64(exactly: x.rounded(.towardZero)) else { throw EvalError.invalid("Cast: \(x) does not fit INT64") }
                return i
            }
        }
        func toInt32<F: BinaryFloatingPoint>(_ v: [F]) throws -> [Int32] {
            try v.map { x in
                guard x.isFinite, let i = Int32(exactly: x.rounded(.towardZero)) else { throw EvalError.invalid("Cast: \(x) does not fit INT32") }
                return i
            }
        }
        let out: TensorData
        switch (t.data, to) {
        case (.float32(let v), .float64): out = .float64(v.map(Double.init))
        case (.float32(let v), .int64): out = .int64(try toInt64(v))
        case (.float32(let v), .int32): out = .int32(try toInt32(v))
        case (.float32(let v), .bool): out = .bool(v.map { $0 != 0 })
        case (.float64(let v), .float32): out = .float32(v.map { Float($0) })
        case (.float64(let v), .int64): out = .int64(try toInt64(v))
        case (.float64(let v), .int32): out = .int32(try toInt32(v))
        case (.float64(let v), .bool): out = .bool(v.map { $0 != 0 })
        case (.int64(let v), .float32): out = .float32(v.map { Float($0) })
        case (.int64(let v), .float64): out = .float64(v.map { Double($0) })
        case (.int64(let v), .int32): out = .int32(v.map { Int32(truncatingIfNeeded: $0) })
        case (.int64(let v), .bool): out = .bool(v.map { $0 != 0 })
        case (.int32(let v), .float32): out = .float32(v.map { Float($0) })
        case (.int32(let v), .float64): out = .float64(v.map { Double($0) })
        case (.int32(let v), .int64): out = .int64(v.map { Int64($0) })
        case (.int32(let v), .bool): out = .bool(v.map { $0 != 0 })
        case (.bool(let v), .float32): out = .float32(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .float64): out = .float64(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .int64): out = .int64(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .int32): out = .int32(v.map { $0 ? 1 : 0 })
        default: throw EvalError.invalid("Cast from \(t.dtype) to \(to) is not supported")
        }
        return Tensor(shape: t.shape, data: out)
    }
}
