/// Static type and shape of every value, from the graph inputs' shapes forward. Rules live in
/// ShapeRules/, one file per group of ops; they read constant inputs (Reshape's shape, axes,
/// pads) from the graph's initializers, so this runs after constant folding.
public enum ShapeInference {
    /// Infers all values in topological order; fails on the first value that stays unknown.
    public static func run(_ g: inout Graph) throws {
        for v in g.inputs where g.values[v.name]?.shape == nil { throw ShapeError.unknownGraphInput(name: v.name) }
        for node in g.nodes {
            guard let infos = try infer(node, in: g) else { throw ShapeError.noRule(node: node.label) }
            record(infos, of: node, in: &g)
        }
        for (i, o) in g.outputs.enumerated() {
            guard let inferred = g.info(o.name) else { continue }
            if let declared = o.info.shape, let s = inferred.shape, declared != s {
                throw ShapeError.outputMismatch(output: o.name, declared: declared, inferred: s)
            }
            g.outputs[i].info = inferred
        }
    }

    static func record(_ infos: [ValueInfo], of node: Node, in g: inout Graph) {
        for (o, info) in zip(node.outputs, infos) where !o.isEmpty { g.values[o] = info }
    }

    /// Output infos of one node, or nil when no rule covers its op. Inputs must be known.
    public static func infer(_ node: Node, in g: Graph) throws -> [ValueInfo]? {
        guard let rule = rules[node.opType], node.domain.isEmpty else { return nil }
        var inputs: [ValueInfo?] = []
        for name in node.inputs {
            if name.isEmpty { inputs.append(nil); continue }
            guard let info = g.info(name), info.shape != nil, info.dtype != nil else {
                throw ShapeError.unknownInput(node: node.label, input: name)
            }
            inputs.append(info)
        }
        let ctx = ShapeContext(node: node, inputs: inputs, graph: g)
        do {
            return try rule(ctx)
        } catch let e as ShapeError {
            throw e
        } catch let e as EvalError {
            throw ShapeError.invalid(node: node.label, detail: e.description)
        } catch let e as AttributeError {
            throw ShapeError.invalid(node: node.label, detail: "attribute '\(e.attribute)': \(e.detail)")
        }
    }

    public static var supportedOps: Set<String> { Set(rules.keys) }

    typealias Rule = @Sendable (ShapeContext) throws -> [ValueInfo]

    static let rules: [String: Rule] = {
        var r: [String: Rule] = [:]
        ElementwiseShapes.register(&r)
        ConvPoolShapes.register(&r)
        LayoutShapes.register(&r)
        return r
    }()
}

/// A node with its input infos (nil for omitted inputs) and access to constant inputs.
struct ShapeContext {
    var node: Node
    var inputs: [ValueInfo?]
    var graph: Graph

    func fail(_ detail: String) -> ShapeError { .invalid(node: node.label, detail: detail) }

    func shape(_ i: Int) throws -> [Int] {
        guard i < inputs.count, let s = inputs[i]?.shape else { throw fail("input \(i) is missing") }
        return s
    }

    func dtype(_ i: Int) throws -> DataType {
        guard i < inputs.count, let d = inputs[i]?.dtype else { throw fail("input \(i) is missing") }
        return d
    }

    func has(_ i: Int) -> Bool { i < inputs.count && inputs[i] != nil }

    /// The value of a constant input (shapes, axes, pads must be constants for static shapes).
    func constant(_ i: Int) throws -> Tensor? {
        guard let name = node.input(i) else { return nil }
        guard let t = graph.initializers[name] else {
            throw fail("input \(i) ('\(name)') must be a constant for static shapes, but is computed at run time")
        }
        return t
    }

    func constantIntegers(_ i: Int) throws -> [Int64]? {
        guard let t = try constant(i) else { return nil }
        guard let v = t.integers else { throw fail("input \(i) must be int64, found \(t.dtype)") }
        return v
    }

    /// Axes from the input (opset >= 13 / 18) or the attribute (older opsets).
    func axes(input i: Int) throws -> [Int64]? {
        if let v = try constantIntegers(i) { return v }
        return try node.ints("axes")
    }

    func same(_ i: Int = 0) throws -> [ValueInfo] {
        [ValueInfo(dtype: try dtype(i), shape: try shape(i))]
    }
}
