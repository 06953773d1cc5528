import EdgePackRuntime
import Foundation
import SwiftProtobuf

/// How to read a model whose inputs have symbolic or missing dimensions, and how strictly to
/// treat the opset version.
public struct LoadOptions: Sendable {
    /// Full static shapes for graph inputs, overriding what the file declares.
    public var inputShapes: [String: [Int]] = [:]
    /// Sizes for named symbolic dimensions (`dim_param`, e.g. "batch_size").
    public var symbolicDimensions: [String: Int] = [:]
    /// Size for any other symbolic or unnamed dimension (a batch of 1 on a device); nil makes
    /// such a dimension an error.
    public var defaultSymbolicDimension: Int? = 1
    /// Opsets outside `ONNXLoader.supportedOpsets` are an error unless this is set; then they
    /// are loaded with a warning (ops whose semantics changed may then be misread).
    public var allowUnsupportedOpset = false

    public init() {}
}

/// Reads an ONNX ModelProto into the converter's `Graph`: decodes initializers and attributes
/// exactly, inlines model-local functions, resolves input shapes, sorts nodes topologically.
public enum ONNXLoader {
    /// ONNX opsets whose operator semantics the converter implements.
    public static let supportedOpsets = 13...20

    public static func load(path: String, options: LoadOptions = LoadOptions()) throws(ONNXError) -> Graph {
        // MappedFile refuses devices and directories and bounds pipes, with the reason in words
        // (Foundation reads /dev/zero forever, and names a device "permission denied").
        let data: Data
        do {
            let file = try MappedFile(path: path)
            data = withExtendedLifetime(file) { Data(file.bytes) }  // unmapped when `file` goes
        } catch {
            throw .readFailed(path: path, detail: error.reason)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do { return try load(data: data, options: options, externalData: ExternalData(directory: folder)) } catch { throw .inFile(path: path, error) }
    }

    /// Without `externalData` (bytes not read from a file), tensors stored outside are an error.
    static func load(data: Data, options: LoadOptions = LoadOptions(), externalData: ExternalData?) throws(ONNXError) -> Graph {
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw .notProtobuf(detail: "\(error) (file size \(data.count) bytes)")
        }
        try WireTypeCheck.check(model)
        return try graph(from: model, options: options, externalData: externalData)
    }

    public static func load(data: Data, options: LoadOptions = LoadOptions()) throws(ONNXError) -> Graph {
        try load(data: data, options: options, externalData: nil)
    }

    static func graph(from model: Onnx_ModelProto, options: LoadOptions, externalData: ExternalData? = nil) throws(ONNXError) -> Graph {
        guard model.hasGraph else { throw .noGraph }
        guard let opsetEntry = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw .noDefaultOpset
        }
        let opset = Int(clamping: opsetEntry.version)
        var warnings: [String] = []
        if !supportedOpsets.contains(opset) {
            if !options.allowUnsupportedOpset { throw .opsetOutOfRange(found: opset, supported: supportedOpsets) }
            warnings.append("opset \(opset) is outside the supported \(supportedOpsets.lowerBound)–\(supportedOpsets.upperBound); loaded anyway")
        }
        let g = model.graph
        if let s = g.sparseInitializer.first { throw .sparseInitializer(name: s.values.name) }

        var initializers: [String: Tensor] = [:]
        for t in g.initializer {
            guard !t.name.isEmpty else { throw .badTensor(tensor: "(unnamed)", detail: "initializer without a name") }
            guard initializers[t.name] == nil else { throw .badTensor(tensor: t.name, detail: "two initializers have this name") }
            initializers[t.name] = try TensorDecoding.decode(t, name: t.name, context: "initializer", external: externalData)
        }

        var inputs: [GraphValue] = []
        for v in g.input {
            if initializers[v.name] != nil {
                // IR < 4 lists initializers among the inputs; a runtime could override them, we fold them.
                continue
            }
            inputs.append(GraphValue(name: v.name, info: try inputInfo(v, options: options, warnings: &warnings)))
        }
        for name in options.inputShapes.keys where !inputs.contains(where: { $0.name == name }) {
            throw .badValue(name: name, detail: "a shape was given for it, but the graph has no such input (inputs: \(inputs.map(\.name)))")
        }
        var outputs: [GraphValue] = []
        for v in g.output {
            outputs.append(GraphValue(name: v.name, info: declaredInfo(v)))
        }

        var inliner = try FunctionInliner(model.functions)
        var nodes: [Node] = []
        for proto in g.node {
            for n in try inliner.expand(proto) { nodes.append(try node(from: n)) }
        }
        var values: [String: ValueInfo] = [:]
        for v in inputs { values[v.name] = v.info }

        var available = Set(initializers.keys)
        for v in inputs {
            if available.contains(v.name) { throw .graph(.duplicateDefinition(value: v.name, first: "an initializer", second: "a graph input")) }
            available.insert(v.name)
        }
        let sorted: [Node]
        do { sorted = try topologicallySorted(nodes, available: available, outputs: outputs.map(\.name)) } catch {
            throw .graph(error)
        }
        var graph = Graph(name: g.name, opset: opset, inputs: inputs, outputs: outputs, nodes: sorted,
                          initializers: initializers, values: values, warnings: warnings)
        graph.metadata = model.metadataProps.map { ($0.key, $0.value) }
        return graph
    }

    private static func node(from p: Onnx_NodeProto) throws(ONNXError) -> Node {
        let label = p.name.isEmpty ? "\(p.opType) node producing '\(p.output.first ?? "")'" : "\(p.opType) '\(p.name)'"
        guard !p.opType.isEmpty else { throw .badAttribute(node: label, attribute: "op_type", detail: "node without op_type") }
        var attrs: [String: Attribute] = [:]
        for a in p.attribute {
            guard attrs[a.name] == nil else { throw .badAttribute(node: label, attribute: a.name, detail: "given twice") }
            attrs[a.name] = try AttributeDecoding.decode(a, node: label)
        }
        let domain = p.domain == "ai.onnx" ? "" : p.domain
        return Node(name: p.name, opType: p.opType, domain: domain, inputs: p.input, outputs: p.output, attributes: attrs)
    }

    private static func elementType(_ v: Onnx_ValueInfoProto) throws(ONNXError) -> DataType? {
        guard v.hasType else { return nil }
        guard case .tensorType(let t)? = v.type.value else {
            throw .badValue(name: v.name, detail: "is not a tensor (sequences, maps and optionals are not supported)")
        }
        guard t.hasElemType else { return nil }
        guard let d = DataType(rawValue: Int(t.elemType)) else {
            throw .unsupportedDataType(tensor: v.name, type: DataType.onnxName(Int(t.elemType)), context: "graph value")
        }
        return d
    }

    private static func inputInfo(_ v: Onnx_ValueInfoProto, options: LoadOptions, warnings: inout [String]) throws(ONNXError) -> ValueInfo {
        let dtype = try elementType(v)
        if let given = options.inputShapes[v.name] {
            guard given.allSatisfy({ $0 >= 1 }) else { throw .badValue(name: v.name, detail: "given shape \(given) has a dimension < 1") }
            return ValueInfo(dtype: dtype, shape: given)
        }
        guard case .tensorType(let t)? = v.type.value, t.hasShape else { return ValueInfo(dtype: dtype, shape: nil) }
        var shape: [Int] = []
        for (axis, d) in t.shape.dim.enumerated() {
            switch d.value {
            case .dimValue(let n)?:
                guard n >= 1, n <= Int64(Int32.max) else { throw .badValue(name: v.name, detail: "dimension \(axis) is \(n)") }
                shape.append(Int(n))
            case .dimParam(let p)?:
                guard let n = options.symbolicDimensions[p] ?? options.defaultSymbolicDimension else {
                    throw .badValue(name: v.name, detail: "dimension \(axis) is symbolic ('\(p)'); give its size")
                }
                warnings.append("input '\(v.name)': symbolic dimension \(axis) '\(p)' set to \(n)")
                shape.append(n)
            case nil:
                guard let n = options.defaultSymbolicDimension else {
                    throw .badValue(name: v.name, detail: "dimension \(axis) has no size; give the input shape")
                }
                warnings.append("input '\(v.name)': unknown dimension \(axis) set to \(n)")
                shape.append(n)
            }
        }
        return ValueInfo(dtype: dtype, shape: shape)
    }

    /// What an output declares, static dimensions only (symbolic ones make the shape unknown).
    private static func declaredInfo(_ v: Onnx_ValueInfoProto) -> ValueInfo {
        let dtype = try? elementType(v)
        guard case .tensorType(let t)? = v.type.value, t.hasShape else { return ValueInfo(dtype: dtype ?? nil, shape: nil) }
        var shape: [Int] = []
        for d in t.shape.dim {
            guard case .dimValue(let n)? = d.value, n >= 0, n <= Int64(Int32.max) else { return ValueInfo(dtype: dtype ?? nil, shape: nil) }
            shape.append(Int(n))
        }
        return ValueInfo(dtype: dtype ?? nil, shape: shape)
    }
}
