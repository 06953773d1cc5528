/// Why the `edgepack.*` entries of an ONNX file's metadata_props cannot be used.
public enum MetadataError: Error, CustomStringConvertible, Equatable {
    case duplicateKey(key: String)
    /// The value is not JSON at all, or not a JSON object.
    case invalidJSON(key: String, detail: String)
    /// A field of the key's JSON object has the wrong type or value.
    case badField(key: String, field: String, problem: String)
    /// A plain (non-JSON) value is malformed.
    case badValue(key: String, problem: String)
    case labelOutOfRange(key: String, index: Int, labelCount: Int)

    public var description: String {
        switch self {
        case .duplicateKey(let k):
            "ONNX metadata_props: '\(k)' is given more than once"
        case .invalidJSON(let k, let d):
            "ONNX metadata_props '\(k)': \(d)"
        case .badField(let k, let f, let p):
            "ONNX metadata_props '\(k)', field '\(f)': \(p)"
        case .badValue(let k, let p):
            "ONNX metadata_props '\(k)': \(p)"
        case .labelOutOfRange(let k, let i, let n):
            "ONNX metadata_props '\(k)': label index \(i) is out of range (\(n) labels; -1 means none)"
        }
    }
}
