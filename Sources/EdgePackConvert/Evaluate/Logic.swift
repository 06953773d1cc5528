/// Comparisons, boolean logic and Where, with broadcasting.
extension Evaluator {
    static func compare(_ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.dtype == b.dtype else { throw EvalError.invalid("\(op) needs equal element types, got \(a.dtype) and \(b.dtype)") }
        let shape = try Broadcast.shape([a.shape, b.shape])
        func cmp<T: Comparable>(_ x: [T], _ y: [T]) -> [Bool] {
            let f: (T, T) -> Bool = switch op {
            case "Equal": { $0 == $1 }
            case "Less": { $0 < $1 }
            case "Greater": { $0 > $1 }
            case "LessOrEqual": { $0 <= $1 }
            default: { $0 >= $1 }
            }
            return Broadcast.map2(x, a.shape, y, b.shape, to: shape, f)
        }
        let r: [Bool]
        switch (a.data, b.data) {
        case (.float32(let x), .float32(let y)): r = cmp(x, y)
        case (.float64(let x), .float64(let y)): r = cmp(x, y)
        case (.int64(let x), .int64(let y)): r = cmp(x, y)
        case (.int32(let x), .int32(let y)): r = cmp(x, y)
        case (.bool(let x), .bool(let y)):
            guard op == "Equal" else { throw EvalError.invalid("\(op) of BOOL is not supported") }
            r = Broadcast.map2(x, a.shape, y, b.shape, to: shape, ==)
        default: throw EvalError.invalid("\(op) of \(a.dtype) is not supported")
        }
        return Tensor(shape: shape, data: .bool(r))
    }

    static func not(_ x: Tensor) throws -> Tensor {
        guard case .bool(let v) = x.data else { throw EvalError.invalid("Not needs BOOL, found \(x.dtype)") }
        return Tensor(shape: x.shape, data: .bool(v.map { !$0 }))
    }

    static func logical(_ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard case .bool(let x) = a.data, case .bool(let y) = b.data else { throw EvalError.invalid("\(op) needs BOOL inputs") }
        let shape = try Broadcast.shape([a.shape, b.shape])
        let f: (Bool, Bool) -> Bool = op == "And" ? { $0 && $1 } : op == "Or" ? { $0 || $1 } : { $0 != $1 }
        return Tensor(shape: shape, data: .bool(Broadcast.map2(x, a.shape, y, b.shape, to: shape, f)))
    }

    static func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard case .bool(let c) = cond.data else { throw EvalError.invalid("Where condition must be BOOL, found \(cond.dtype)") }
        guard a.dtype == b.dtype else { throw EvalError.invalid("Where branches have types \(a.dtype) and \(b.dtype)") }
        let shape = try Broadcast.shape([cond.shape, a.shape, b.shape])
        let n = Tensor.elementCount(shape) ?? 0
        let ic = Broadcast.sourceIndices(cond.shape, to: shape)
        let ia = Broadcast.sourceIndices(a.shape, to: shape)
        let ib = Broadcast.sourceIndices(b.shape, to: shape)
        // Join both branches and pick from the first or second half.
        let joined = try TensorData.joined([a.data, b.data])
        let idx = (0..<n).map { j in c[ic?[j] ?? j] ? (ia?[j] ?? j) : a.count + (ib?[j] ?? j) }
        return Tensor(shape: shape, data: joined.gathering(idx))
    }
}
