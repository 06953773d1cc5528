import Foundation
import Testing
@testable import EdgePackConvert

/// Fixtures and ONNX-building helpers shared by the converter tests.
enum ConvertFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent("convert/\(name)").path }

    /// Loads a fixture and separates the reference values stored in it (initializers named
    /// `prefix` + value name) from the graph proper.
    static func load(_ name: String, options: LoadOptions = LoadOptions(), prefix: String = "expected:") throws -> (Graph, [String: Tensor]) {
        var g = try ONNXLoader.load(path: path(name), options: options)
        var expected: [String: Tensor] = [:]
        for (k, v) in g.initializers where k.hasPrefix(prefix) {
            expected[String(k.dropFirst(prefix.count))] = v
            g.initializers[k] = nil
        }
        return (g, expected)
    }
}

/// Distance in units in the last place between two floats (0 when bit-identical or both NaN).
func ulpDistance(_ a: Float, _ b: Float) -> Int {
    if a.isNaN && b.isNaN { return 0 }
    if a == b { return 0 }
    func key(_ x: Float) -> Int { let b = Int(Int32(bitPattern: x.bitPattern)); return b < 0 ? Int(Int32.min) - b : b }
    return abs(key(a) - key(b))
}

/// Small ONNX models built in code with the generated protobuf types.
enum ONNXBuild {
    static func tensor(_ name: String, _ shape: [Int], _ values: [Float]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(DataType.float32.rawValue)
        t.floatData = values
        return t
    }

    static func int64Tensor(_ name: String, _ shape: [Int], _ values: [Int64]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(DataType.int64.rawValue)
        t.int64Data = values
        return t
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name.isEmpty ? "\(op)_\(outputs.first ?? "")" : name
        n.attribute = attributes
        return n
    }

    static func intsAttribute(_ name: String, _ v: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = v
        return a
    }

    static func intAttribute(_ name: String, _ v: Int64) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = v
        return a
    }

    static func value(_ name: String, _ shape: [Int]?, elemType: Int32 = 1) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = elemType
        if let shape {
            var s = Onnx_TensorShapeProto()
            s.dim = shape.map { d in var x = Onnx_TensorShapeProto.Dimension(); x.dimValue = Int64(d); return x }
            t.shape = s
        }
        v.type.tensorType = t
        return v
    }

    static func model(nodes: [Onnx_NodeProto], inputs: [Onnx_ValueInfoProto], outputs: [String],
                      initializers: [Onnx_TensorProto] = [], opset: Int64 = 18) -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.name = "test"
        g.node = nodes
        g.input = inputs
        g.output = outputs.map { value($0, nil) }
        g.initializer = initializers
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var o = Onnx_OperatorSetIdProto()
        o.domain = ""
        o.version = opset
        m.opsetImport = [o]
        m.graph = g
        return m
    }

    static func bytes(_ m: Onnx_ModelProto) throws -> Data { try m.serializedData() }
}
