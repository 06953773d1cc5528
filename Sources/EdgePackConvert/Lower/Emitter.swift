import EdgePackFormat
import EdgePackHost

/// Writes a folded, shape-inferred graph as EdgePack operators into a ModelBuilder, choosing
/// binary kernels where they are exact and fusing BatchNorm and activations into layers.
final class Emitter {
    var g: Graph
    let b: ModelBuilder
    /// Builder tensor of each float value (activations and constants) emitted so far.
    var tensors: [String: Int] = [:]
    private var packed: [String: Int] = [:]
    private var floatSigns: [String: Int] = [:]
    let consumers: [String: [Int]]
    let producers: [String: Int]
    let graphOutputs: Set<String>
    /// Nodes already written, alone or fused into another.
    var done = Set<Int>()
    var records: [LayerRecord] = []
    /// Why the graph rewrites made the nodes they made, for the report.
    let notes: RewriteNotes

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

    /// Sign(x) bit-packed for binary kernels: channels last for convolutions ([N, spatial..., C]),
    /// along the last axis for dense layers.
    func packedSign(_ sign: Int, channelsLast: Bool) throws -> Int {
        let n = g.nodes[sign]
        let key = "\(n.outputs[0])|\(channelsLast)"
        if let t = packed[key] { return t }
        guard let x = n.input(0) else { throw LowerError.unsupportedForm(node: n.label, detail: "Sign without input") }
        let xs = try shape(x)
        let outShape = channelsLast ? [xs[0]] + Array(xs[2...]) + [xs[1]] : xs
        let input = try floatValue(x)
        let t = b.addActivation(n.outputs[0] + (channelsLast ? "/packed_channels_last" : "/packed"), shape: outShape, dtype: .bit)
        b.addOperator(.signPack, inputs: [input], outputs: [t], options: .signPack(channelsLast: channelsLast, threshold: 0), name: n.name)
        packed[key] = t
        records.append(LayerRecord(node: n.label, op: "Sign", fused: [], kernel: .binary,
                                   reason: "sign and bit-pack (x ≥ 0 → +1)", inputShape: xs, outputShape: outShape,
                                   parameters: 0, bytesBefore: 0, bytesAfter: 0))
        return t
    }

    /// Sign(x) as floats (-1, 0, +1, as ONNX) for a float consumer.
    func floatSign(_ sign: Int) throws -> Int {
        let n = g.nodes[sign]
        if let t = floatSigns[n.outputs[0]] { return t }
        guard let x = n.input(0) else { throw LowerError.unsupportedForm(node: n.label, detail: "Sign without input") }
        let xs = try shape(x)
        let out = b.addActivation(n.outputs[0], shape: xs)
        b.addOperator(.sign, inputs: [try floatValue(x)], outputs: [out], options: .none, name: n.name)
        floatSigns[n.outputs[0]] = out
        records.append(LayerRecord(node: n.label, op: "Sign", fused: [], kernel: .float,
                                   reason: "float sign for a float consumer", inputShape: xs, outputShape: xs,
                                   parameters: 0, bytesBefore: 0, bytesAfter: 0))
        return out
    }

    // MARK: - Dispatch

    func emit(_ i: Int) throws {
        let n = g.nodes[i]
        guard n.domain.isEmpty else {
            throw LowerError.unsupportedOp(node: n.label, detail: "operator domain '\(n.domain)' is not ONNX's")
        }
        switch n.opType {
        case "Sign": return      // written on demand by its consumers (packed or as floats)
        case "Identity", "Dropout":
            tensors[n.outputs[0]] = try floatValue(n.inputs[0])
        case "Conv": try lowerConv(i)
        case "Gemm": try lowerDense(i)
        case "MatMul":
            if constant(n.input(1)) == nil && constant(n.input(0)) == nil { try emitMatMulOfActivations(i) } else { try lowerDense(i) }
        case "Abs": try emitAbs(i)
        case "BatchNormalization": try emitBatchNorm(i)
        case "Relu", "Clip", "PRelu": try emitActivation(i)
        case "Add", "Sub", "Mul", "Div": try emitArithmetic(i)
        case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool": try emitPool(i)
        case "ReduceMean": try emitReduceMean(i)
        case "ReduceMax": try emitReduceMax(i)
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze": try emitReshape(i)
        case "Transpose": try emitTranspose(i)
        case "Softmax", "LogSoftmax": try emitSoftmax(i)
        default:
            throw LowerError.unsupportedOp(node: n.label, detail: "operator \(n.opType) has no EdgePack kernel")
        }
    }

    func record(_ n: Node, fused: [Node] = [], kernel: LayerRecord.Kernel, reason: String, input: String?, output: String,
                parameters: Int = 0, before: Int = 0, after: Int = 0) throws {
        records.append(LayerRecord(node: n.label, op: n.opType, fused: fused.map(\.opType), kernel: kernel, reason: reason,
                                   inputShape: try input.map { try shape($0) } ?? [], outputShape: try shape(output),
                                   parameters: parameters, bytesBefore: before, bytesAfter: after))
    }
}
