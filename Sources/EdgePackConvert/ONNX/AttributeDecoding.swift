import Foundation

/// AttributeProto → Attribute. Files from IR version 1 have no `type`; then the kind is taken
/// from the field that is set.
enum AttributeDecoding {
    static func decode(_ a: Onnx_AttributeProto, node: String) throws(ONNXError) -> Attribute {
        var kind = a.type
        if !a.hasType || kind == .undefined {
            kind = a.hasF ? .float : a.hasI ? .int : a.hasS ? .string : a.hasT ? .tensor : a.hasG ? .graph
                : !a.floats.isEmpty ? .floats : !a.ints.isEmpty ? .ints : !a.strings.isEmpty ? .strings : .undefined
        }
        switch kind {
        case .float: return .float(a.f)
        case .int: return .int(a.i)
        case .string: return .string(try text(a.s, node: node, attribute: a.name))
        case .tensor:
            return .tensor(try TensorDecoding.decode(a.t, name: a.t.name.isEmpty ? a.name : a.t.name,
                                                     context: "attribute '\(a.name)' of \(node): tensor"))
        case .floats: return .floats(a.floats)
        case .ints: return .ints(a.ints)
        case .strings:
            var out: [String] = []
            for s in a.strings { out.append(try text(s, node: node, attribute: a.name)) }
            return .strings(out)
        case .undefined:
            throw .badAttribute(node: node, attribute: a.name, detail: "has no value")
        default:
            return .unsupported(kind: "\(kind)")
        }
    }

    private static func text(_ d: Data, node: String, attribute: String) throws(ONNXError) -> String {
        guard let s = String(data: d, encoding: .utf8) else {
            throw .badAttribute(node: node, attribute: attribute, detail: "string is not UTF-8")
        }
        return s
    }
}
