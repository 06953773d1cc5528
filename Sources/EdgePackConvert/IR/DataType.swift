/// Element types the converter keeps exactly. Raw values are ONNX's TensorProto.DataType codes.
public enum DataType: Int, Sendable, CustomStringConvertible {
    case float32 = 1
    case int32 = 6
    case int64 = 7
    case bool = 9
    case float64 = 11

    /// The ONNX name of a type code, including the ones the converter does not support,
    /// so errors can say what was found.
    public static func onnxName(_ code: Int) -> String {
        let names = [0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16",
                     6: "INT32", 7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE",
                     12: "UINT32", 13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16",
                     17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ",
                     21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1"]
        return names[code] ?? "type code \(code)"
    }

    public var description: String { DataType.onnxName(rawValue) }

    /// Bytes per element in ONNX raw_data (bool is one byte).
    public var rawSize: Int {
        switch self {
        case .float32, .int32: 4
        case .int64, .float64: 8
        case .bool: 1
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}
