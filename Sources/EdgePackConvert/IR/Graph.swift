/// What is known about a value: element type and static shape (nil while unknown).
public struct ValueInfo: Sendable, Equatable {
    public var dtype: DataType?
    public var shape: [Int]?

    public init(dtype: DataType? = nil, shape: [Int]? = nil) {
        self.dtype = dtype
        self.shape = shape
    }
}

/// A named graph input or output.
public struct GraphValue: Sendable, Equatable {
    public var name: String
    public var info: ValueInfo

    public init(name: String, info: ValueInfo) {
        self.name = name
        self.info = info
    }
}

/// The converter's graph: nodes in topological order, constant tensors by name, and the type
/// and shape of every value known so far. Passes take it `inout`.
public struct Graph: Sendable {
    public var name: String
    /// Version of the default ONNX operator set ("" / "ai.onnx") the nodes bind to.
    public var opset: Int
    public var inputs: [GraphValue]
    public var outputs: [GraphValue]
    public var nodes: [Node]
    public var initializers: [String: Tensor]
    public var values: [String: ValueInfo]
    /// Non-fatal findings while loading (e.g. symbolic dimensions fixed to a size).
    public var warnings: [String]
    /// The model's metadata_props in file order (the training scripts store preprocessing there).
    public var metadata: [(key: String, value: String)] = []

    public init(name: String = "", opset: Int, inputs: [GraphValue], outputs: [GraphValue], nodes: [Node],
                initializers: [String: Tensor], values: [String: ValueInfo] = [:], warnings: [String] = []) {
        self.name = name
        self.opset = opset
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        self.initializers = initializers
        self.values = values
        self.warnings = warnings
    }

    /// Type and shape of a value: from its constant when it is one, else from `values`.
    public func info(_ name: String) -> ValueInfo? {
        if let t = initializers[name] { return ValueInfo(dtype: t.dtype, shape: t.shape) }
        return values[name]
    }

    /// Index of the node producing each value.
    public func producers() -> [String: Int] {
        var p: [String: Int] = [:]
        for (i, n) in nodes.enumerated() { for o in n.outputs where !o.isEmpty { p[o] = i } }
        return p
    }

    /// Indices of the nodes reading each value.
    public func consumers() -> [String: [Int]] {
        var c: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() { for v in n.inputs where !v.isEmpty { c[v, default: []].append(i) } }
        return c
    }

    /// Op types present, with counts, sorted by name (for reports and tests).
    public var opCounts: [(op: String, count: Int)] {
        var c: [String: Int] = [:]
        for n in nodes { c[n.opType, default: 0] += 1 }
        return c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
