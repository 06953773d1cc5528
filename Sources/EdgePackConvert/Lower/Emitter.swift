import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Writes a folded, shape-inferred graph as EdgePack operators into a ModelBuilder, node by
/// node through `LoweringRules`, choosing binary kernels where they are exact and fusing
/// BatchNorm and activations into layers.
final class Emitter {
    var g: Graph
    let b: ModelBuilder
    /// Builder tensor of each float value (activations and constants) emitted so far.
    var tensors: [String: Int] = [:]
    /// Builder tensor of each Sign output written bit-packed ("value|channelsLast") or as floats.
    var packed: [String: Int] = [:]
    var floatSigns: [String: Int] = [:]
    let consumers: [String: [Int]]
    let producers: [String: Int]
    let graphOutputs: Set<String>
    /// Nodes already written, alone or fused into another.
    var done = Set<Int>()
    var records: [LayerRecord] = []
    /// Why the graph rewrites made the nodes they made, for the report.
    let notes: RewriteNotes
    /// `--rebinarize`: layers with a Sign input whose weights keep other magnitudes per output
    /// channel become binary with sign(w)·mean|w| (an approximation; the report gives its error).
    var rebinarize = false

    init(graph: Graph, builder: ModelBuilder, notes: RewriteNotes = RewriteNotes()) {
        g = graph
        b = builder
        self.notes = notes
        consumers = graph.consumers()
        producers = graph.producers()
        graphOutputs = Set(graph.outputs.map(\.name))
    }

    func run(progress: ((Int, Int) -> Void)? = nil) throws {
        for v in g.inputs {
            guard let s = v.info.shape else { throw ShapeError.unknownGraphInput(name: v.name) }
            guard v.info.dtype == nil || v.info.dtype == .float32 else {
                throw LowerError.unsupportedForm(node: "graph input '\(v.name)'", detail: "inputs must be FLOAT, this one is \(v.info.dtype!)")
            }
            tensors[v.name] = b.addInput(v.name, shape: s)
        }
        for i in g.nodes.indices where !done.contains(i) {
            try emit(i)
            done.insert(i)
            progress?(i + 1, g.nodes.count)
        }
        for o in g.outputs {
            if g.initializers[o.name] != nil {
                throw LowerError.unsupportedForm(node: "graph output '\(o.name)'", detail: "it is a constant (it folded away); a model must compute its outputs")
            }
            b.markOutput(try floatValue(o.name))
        }
    }

    // MARK: - Values

    func shape(_ name: String) throws -> [Int] {
        guard let s = g.info(name)?.shape else { throw ShapeError.unknownInput(node: "converter", input: name) }
        return s
    }

    func constant(_ name: String?) -> Tensor? { name.flatMap { g.initializers[$0] } }

    /// The float builder tensor holding a value: an activation already written, a constant
    /// written on first use, or a Sign output materialized as ±1 floats.
    func floatValue(_ name: String) throws -> Int {
        if let t = tensors[name] { return t }
        if let c = g.initializers[name] {
            guard let f = c.floats else {
                throw LowerError.unsupportedForm(node: "constant '\(name)'", detail: "run-time operands must be FLOAT, this one is \(c.dtype)")
            }
            let t = b.addConstant(name, shape: c.shape.isEmpty ? [1] : c.shape, floats: f)
            tensors[name] = t
            return t
        }
        if let p = producers[name], g.nodes[p].opType == "Sign" { return try floatSign(p) }
        throw LowerError.unsupportedForm(node: "value '\(name)'", detail: "used before it is computed")
    }

    /// A new float activation for a value, with its inferred shape.
    func activation(_ name: String) throws -> Int {
        let t = b.addActivation(name, shape: try shape(name))
        tensors[name] = t
        return t
    }

    /// The Sign node producing a value, if any.
    func signNode(of value: String) -> Int? {
        guard let p = producers[value], g.nodes[p].opType == "Sign", g.nodes[p].domain.isEmpty else { return nil }
        return p
    }

    // MARK: - Dispatch

    func emit(_ i: Int) throws {
        let n = g.nodes[i]
        guard n.domain.isEmpty else {
            throw LowerError.unsupportedOp(node: n.label, detail: "operator domain '\(n.domain)' is not ONNX's")
        }
        guard let lower = LoweringRules.table[n.opType] else {
            throw LowerError.unsupportedOp(node: n.label, detail: "operator \(n.opType) has no EdgePack kernel")
        }
        try lower(self, i)
    }

    func record(_ n: Node, fused: [Node] = [], kernel: LayerRecord.Kernel, reason: String, input: String?, output: String,
                parameters: Int = 0, before: Int = 0, after: Int = 0) throws {
        records.append(LayerRecord(node: n.label, op: n.opType, fused: fused.map(\.opType), kernel: kernel, reason: reason,
                                   inputShape: try input.map { try shape($0) } ?? [], outputShape: try shape(output),
                                   parameters: parameters, bytesBefore: before, bytesAfter: after))
    }
}
