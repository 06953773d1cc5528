import Foundation
import SwiftProtobuf

/// swift-protobuf keeps a known field that arrives with the wrong wire type (say, `graph` sent
/// as a number) among the unknown fields instead of failing. Such a file is malformed: this
/// finds those fields so the error says which one, instead of "no graph" later on.
enum WireTypeCheck {
    /// Field numbers and names of the fields our schema declares, per message.
    static let model = [1: "ir_version", 2: "producer_name", 3: "producer_version", 4: "domain", 5: "model_version",
                        6: "doc_string", 7: "graph", 8: "opset_import", 14: "metadata_props", 25: "functions"]
    static let graph = [1: "node", 2: "name", 5: "initializer", 11: "input", 12: "output", 13: "value_info", 15: "sparse_initializer"]
    static let node = [1: "input", 2: "output", 3: "name", 4: "op_type", 5: "attribute", 7: "domain", 8: "overload"]
    static let tensor = [1: "dims", 2: "data_type", 3: "segment", 4: "float_data", 5: "int32_data", 6: "string_data",
                         7: "int64_data", 8: "name", 9: "raw_data", 10: "double_data", 11: "uint64_data",
                         13: "external_data", 14: "data_location"]
    static let attribute = [1: "name", 2: "f", 3: "i", 4: "s", 5: "t", 6: "g", 7: "floats", 8: "ints", 9: "strings",
                            10: "tensors", 11: "graphs", 20: "type", 21: "ref_attr_name"]

    static func check(_ m: Onnx_ModelProto) throws(ONNXError) {
        try check(m.unknownFields, known: model, message: "ModelProto")
        let g = m.graph
        try check(g.unknownFields, known: graph, message: "GraphProto")
        for t in g.initializer { try check(t.unknownFields, known: tensor, message: "TensorProto '\(t.name)'") }
        for n in g.node + m.functions.flatMap(\.node) {
            try check(n.unknownFields, known: node, message: "NodeProto '\(n.name)'")
            for a in n.attribute { try check(a.unknownFields, known: attribute, message: "attribute '\(a.name)' of node '\(n.name)'") }
        }
    }

    private static func check(_ u: UnknownStorage, known: [Int: String], message: String) throws(ONNXError) {
        guard !u.data.isEmpty else { return }
        for (field, wire) in fields(u.data) {
            if let name = known[field] {
                throw .notProtobuf(detail: "\(message): field \(field) (\(name)) has wire type \(wire), which its type does not use")
            }
        }
    }

    /// (field number, wire type) of each field in a run of protobuf fields; stops at anything
    /// unreadable (the decoder already accepted these bytes).
    static func fields(_ data: Data) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        let b = [UInt8](data)
        var i = 0
        func varint() -> UInt64? {
            var v: UInt64 = 0, shift: UInt64 = 0
            while i < b.count, shift < 64 {
                let byte = b[i]; i += 1
                v |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return v }
                shift += 7
            }
            return nil
        }
        while i < b.count, let tag = varint() {
            let field = Int(truncatingIfNeeded: tag >> 3), wire = Int(tag & 7)
            out.append((field, wire))
            switch wire {
            case 0: guard varint() != nil else { return out }
            case 1: i += 8
            case 2: guard let n = varint(), n <= UInt64(b.count - min(i, b.count)) else { return out }; i += Int(n)
            case 5: i += 4
            default: return out
            }
        }
        return out
    }
}
