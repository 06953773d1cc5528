/// Element moves shared by every layout op: an op computes, for each output element, the
/// flat index of the input element it copies; `gathering` applies that to any element type.
extension TensorData {
    func gathering(_ index: [Int]) -> TensorData {
        switch self {
        case .float32(let v): .float32(index.map { v[$0] })
        case .float64(let v): .float64(index.map { v[$0] })
        case .int64(let v): .int64(index.map { v[$0] })
        case .int32(let v): .int32(index.map { v[$0] })
        case .bool(let v): .bool(index.map { v[$0] })
        }
    }

    /// The elements of several tensors of this type back to back.
    static func joined(_ parts: [TensorData]) throws(EvalError) -> TensorData {
        guard let first = parts.first else { throw .invalid("no tensors to join") }
        switch first {
        case .float32:
            var r: [Float] = []
            for p in parts { guard case .float32(let v) = p else { throw .invalid("inputs have different element types") }; r += v }
            return .float32(r)
        case .float64:
            var r: [Double] = []
            for p in parts { guard case .float64(let v) = p else { throw .invalid("inputs have different element types") }; r += v }
            return .float64(r)
        case .int64:
            var r: [Int64] = []
            for p in parts { guard case .int64(let v) = p else { throw .invalid("inputs have different element types") }; r += v }
            return .int64(r)
        case .int32:
            var r: [Int32] = []
            for p in parts { guard case .int32(let v) = p else { throw .invalid("inputs have different element types") }; r += v }
            return .int32(r)
        case .bool:
            var r: [Bool] = []
            for p in parts { guard case .bool(let v) = p else { throw .invalid("inputs have different element types") }; r += v }
            return .bool(r)
        }
    }

    /// `count` copies of element 0 (ConstantOfShape), without an index array (8 bytes an element).
    func repeatingFirst(_ count: Int) -> TensorData {
        switch self {
        case .float32(let v): .float32([Float](repeating: v[0], count: count))
        case .float64(let v): .float64([Double](repeating: v[0], count: count))
        case .int64(let v): .int64([Int64](repeating: v[0], count: count))
        case .int32(let v): .int32([Int32](repeating: v[0], count: count))
        case .bool(let v): .bool([Bool](repeating: v[0], count: count))
        }
    }
}

extension Tensor {
    func gathering(_ index: [Int], shape: [Int]) -> Tensor { Tensor(shape: shape, data: data.gathering(index)) }

    func reshaped(_ shape: [Int]) -> Tensor { Tensor(shape: shape, data: data) }
}
