/// Element storage of a constant tensor, one case per supported type; values stay exact
/// (no widening), so folded results are what an ONNX runtime computes in that type.
public enum TensorData: Sendable, Equatable {
    case float32([Float])
    case float64([Double])
    case int64([Int64])
    case int32([Int32])
    case bool([Bool])

    public var dtype: DataType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .int32: .int32
        case .bool: .bool
        }
    }

    /// Bytes per element.
    public var elementSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        }
    }

    public var count: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .bool(let v): v.count
        }
    }
}

/// A constant tensor: row-major data with a static shape ([] is a scalar).
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: TensorData

    public init(shape: [Int], data: TensorData) {
        precondition(Tensor.elementCount(shape) == data.count, "shape \(shape) holds \(Tensor.elementCount(shape) ?? -1) elements, data has \(data.count)")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, data: .float32(floats)) }
    public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, data: .int64(int64s)) }
    public static func scalar(_ v: Float) -> Tensor { Tensor(shape: [], floats: [v]) }
    public static func vector(_ v: [Int64]) -> Tensor { Tensor(shape: [v.count], int64s: v) }

    public var dtype: DataType { data.dtype }
    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Product of the dimensions, nil on overflow or a negative dimension.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            if o { return nil }
            n = p
        }
        return n
    }

    public var floats: [Float]? { if case .float32(let v) = data { v } else { nil } }

    /// Integer view of an int64/int32 tensor (shape and index inputs of ONNX ops).
    public var integers: [Int64]? {
        switch data {
        case .int64(let v): v
        case .int32(let v): v.map(Int64.init)
        default: nil
        }
    }
}
