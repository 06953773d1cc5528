/// Why an ONNX file could not be turned into the converter's graph.
public indirect enum ONNXError: Error, CustomStringConvertible {
    /// The bytes are not a protobuf ModelProto (truncated, garbage, wrong wire types).
    case notProtobuf(detail: String)
    case noGraph
    case noDefaultOpset
    case opsetOutOfRange(found: Int, supported: ClosedRange<Int>)
    case unsupportedDataType(tensor: String, type: String, context: String)
    case externalData(tensor: String, location: String)
    case badExternalData(tensor: String, location: String, detail: String)
    case badTensor(tensor: String, detail: String)
    case sparseInitializer(name: String)
    case badAttribute(node: String, attribute: String, detail: String)
    case function(name: String, detail: String)
    case badValue(name: String, detail: String)
    case graph(GraphError)
    case readFailed(path: String, detail: String)
    /// Any of the above, while reading `path`.
    case inFile(path: String, ONNXError)

    public var description: String {
        switch self {
        case .notProtobuf(let d):
            "not a valid ONNX protobuf (truncated or not an ONNX file): \(d)"
        case .noGraph:
            "the model has no graph (empty file or not an ONNX ModelProto)"
        case .noDefaultOpset:
            "the model imports no version of the default ONNX operator set (opset_import)"
        case .opsetOutOfRange(let v, let r):
            "the model uses ONNX opset \(v); supported are opsets \(r.lowerBound)–\(r.upperBound) (re-export with opset_version in that range)"
        case .unsupportedDataType(let t, let type, let c):
            "\(c) '\(t)' has element type \(type); supported are FLOAT, DOUBLE, INT64, INT32, BOOL"
        case .externalData(let t, let loc):
            "tensor '\(t)' keeps its data in the external file '\(loc)'; external data is read only when the model is loaded from a file (its folder holds the data)"
        case .badExternalData(let t, let loc, let d):
            "tensor '\(t)', external data '\(loc)': \(d)"
        case .badTensor(let t, let d):
            "tensor '\(t)': \(d)"
        case .sparseInitializer(let n):
            "initializer '\(n)' is sparse; sparse initializers are not supported"
        case .badAttribute(let n, let a, let d):
            "\(n), attribute '\(a)': \(d)"
        case .function(let n, let d):
            "model-local function '\(n)': \(d)"
        case .badValue(let n, let d):
            "value '\(n)': \(d)"
        case .graph(let e):
            e.description
        case .readFailed(let p, let d):
            "cannot read \(p): \(d)"
        case .inFile(let p, let e):
            "\(p): \(e.description)"
        }
    }
}
