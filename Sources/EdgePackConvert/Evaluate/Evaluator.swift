/// Host-side evaluation of ONNX nodes whose inputs are all constants — the ops weight
/// quantizer subgraphs are made of. Float32 stays float32 throughout, and reductions add in
/// onnxruntime's order (see Reductions.swift), so folded weights are the values onnxruntime
/// itself computes.
public enum Evaluator {
    /// Op types `evaluate` implements (default ONNX domain).
    public static let supportedOps: Set<String> = [
        "Constant", "ConstantOfShape", "Identity", "Cast", "CastLike", "Range",
        "Shape", "Size", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Expand", "Concat",
        "Transpose", "Slice", "Gather", "Tile",
        "Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "MatMul", "Gemm",
        "Neg", "Abs", "Sign", "Sqrt", "Reciprocal", "Log", "Exp", "Round", "Floor", "Ceil", "Clip", "Relu", "Sin", "Cos",
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Where", "Not", "And", "Or", "Xor",
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
    ]

    /// Outputs of `node` for the given inputs (nil for omitted optional inputs).
    public static func evaluate(_ node: Node, inputs: [Tensor?], opset: Int) throws(EvalError) -> [Tensor] {
        guard node.domain.isEmpty, supportedOps.contains(node.opType) else {
            throw .unsupportedOp(node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)")
        }
        let ctx = EvalContext(node: node, inputs: inputs, opset: opset)
        do {
            return try dispatch(ctx)
        } catch let e as EvalError {
            throw .atNode(node.label, e)
        } catch let e as AttributeError {
            throw .atNode(node.label, .attribute(e))
        } catch {
            throw .atNode(node.label, .invalid("\(error)"))
        }
    }

    private static func dispatch(_ c: EvalContext) throws -> [Tensor] {
        switch c.node.opType {
        case "Constant": [try constant(c)]
        case "ConstantOfShape": [try constantOfShape(c)]
        case "Identity": [try c.input(0)]
        case "Cast": [try cast(c.input(0), to: try c.castTarget())]
        case "CastLike": [try cast(c.input(0), to: try c.input(1).dtype)]
        case "Range": [try range(c)]
        case "Shape": [try shape(c)]
        case "Size": [Tensor(shape: [], int64s: [Int64(try c.input(0).count)])]
        case "Reshape": [try reshape(c)]
        case "Flatten": [try flatten(c)]
        case "Squeeze": [try squeeze(c)]
        case "Unsqueeze": [try unsqueeze(c)]
        case "Expand": [try expand(c)]
        case "Concat": [try concat(c)]
        case "Transpose": [try transpose(c)]
        case "Slice": [try slice(c)]
        case "Gather": [try gather(c)]
        case "Tile": [try tile(c)]
        case "Add", "Sub", "Mul", "Div": [try arithmetic(c.node.opType, c.input(0), c.input(1))]
        case "Min", "Max": [try minMax(c)]
        case "Pow": [try pow(c.input(0), c.input(1))]
        case "MatMul": [try matMul(c.input(0), c.input(1))]
        case "Gemm": [try gemm(c)]
        case "Clip": [try clip(c)]
        case "Neg", "Abs", "Sign", "Sqrt", "Reciprocal", "Log", "Exp", "Round", "Floor", "Ceil", "Relu", "Sin", "Cos":
            [try unary(c.node.opType, c.input(0))]
        case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual": [try compare(c.node.opType, c.input(0), c.input(1))]
        case "Not": [try not(c.input(0))]
        case "And", "Or", "Xor": [try logical(c.node.opType, c.input(0), c.input(1))]
        case "Where": [try `where`(c.input(0), c.input(1), c.input(2))]
        default: [try reduce(c)]
        }
    }
}

/// A node with its constant inputs, as the op implementations see it.
struct EvalContext {
    var node: Node
    var inputs: [Tensor?]
    var opset: Int

    /// A required input.
    func input(_ i: Int) throws(EvalError) -> Tensor {
        guard i < inputs.count, let t = inputs[i] else { throw .invalid("input \(i) is missing") }
        return t
    }

    func optionalInput(_ i: Int) -> Tensor? { i < inputs.count ? inputs[i] : nil }

    /// An integer list given as an int64/int32 tensor input (shapes, axes, indices).
    func integers(_ i: Int) throws(EvalError) -> [Int64] {
        let t = try input(i)
        guard let v = t.integers else { throw .invalid("input \(i) must be int64 or int32, found \(t.dtype)") }
        return v
    }

    func optionalIntegers(_ i: Int) throws(EvalError) -> [Int64]? {
        guard let t = optionalInput(i) else { return nil }
        guard let v = t.integers else { throw .invalid("input \(i) must be int64 or int32, found \(t.dtype)") }
        return v
    }

    func castTarget() throws -> DataType {
        guard let to = try node.int("to") else { throw node.attributeError("to", "missing") }
        guard let d = DataType(rawValue: Int(to)) else {
            throw EvalError.invalid("Cast to \(DataType.onnxName(Int(to))) is not supported")
        }
        return d
    }
}
