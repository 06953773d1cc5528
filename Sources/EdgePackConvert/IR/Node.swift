/// An attribute value of a node, decoded from ONNX's AttributeProto.
public enum Attribute: Sendable, Equatable {
    case float(Float)
    case int(Int64)
    case string(String)
    case tensor(Tensor)
    case floats([Float])
    case ints([Int64])
    case strings([String])
    /// Sub-graphs (If/Loop bodies) and other kinds are kept only by name so errors can say so.
    case unsupported(kind: String)

    public var kindName: String {
        switch self {
        case .float: "float"
        case .int: "int"
        case .string: "string"
        case .tensor: "tensor"
        case .floats: "floats"
        case .ints: "ints"
        case .strings: "strings"
        case .unsupported(let k): k
        }
    }
}

/// One operator application. Inputs are value names; "" marks an omitted optional input.
public struct Node: Sendable, Equatable {
    public var name: String
    public var opType: String
    public var domain: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: Attribute]

    public init(name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
                attributes: [String: Attribute] = [:]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// "Conv 'layer1/conv'" — how errors and reports name a node.
    public var label: String { name.isEmpty ? "\(opType) (producing '\(outputs.first ?? "")')" : "\(opType) '\(name)'" }

    /// Input i when present (not omitted, not past the end).
    public func input(_ i: Int) -> String? {
        i < inputs.count && !inputs[i].isEmpty ? inputs[i] : nil
    }
}
