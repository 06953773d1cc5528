/// Elementwise ops (same shape, or numpy broadcasting), normalization and activations.
enum ElementwiseShapes {
    static let unary = ["Relu", "Sign", "Neg", "Abs", "Sqrt", "Exp", "Log", "Sigmoid", "Tanh", "HardSigmoid",
                        "HardSwish", "LeakyRelu", "Elu", "Selu", "Erf", "Round", "Floor", "Ceil", "Reciprocal",
                        "Identity", "Clip", "Softmax", "LogSoftmax", "Not", "Dropout", "Softplus", "Gelu", "Sin", "Cos"]
    static let binary = ["Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Sum", "Mean"]
    static let comparisons = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"]

    static func register(_ r: inout [String: ShapeInference.Rule]) {
        for op in unary { r[op] = { c in try c.same() } }
        r["Softmax"] = { c in
            let s = try c.shape(0)
            _ = try normalizedAxis(try c.node.int("axis", default: -1), rank: s.count)
            return try c.same()
        }
        r["LogSoftmax"] = r["Softmax"]
        r["Dropout"] = { c in
            // Inference mode: the output is the input; an optional mask output is BOOL.
            var out = try c.same()
            if c.node.outputs.count > 1 { out.append(ValueInfo(dtype: .bool, shape: try c.shape(0))) }
            return out
        }
        for op in binary {
            r[op] = { c in
                let shapes = try (0..<c.inputs.count).map { try c.shape($0) }
                return [ValueInfo(dtype: try c.dtype(0), shape: try Broadcast.shape(shapes))]
            }
        }
        for op in comparisons {
            r[op] = { c in [ValueInfo(dtype: .bool, shape: try Broadcast.shape([try c.shape(0), try c.shape(1)]))] }
        }
        r["Where"] = { c in
            [ValueInfo(dtype: try c.dtype(1), shape: try Broadcast.shape([try c.shape(0), try c.shape(1), try c.shape(2)]))]
        }
        r["PRelu"] = { c in
            // The slope broadcasts to the input (unidirectionally): the output has X's shape.
            let x = try c.shape(0)
            guard try Broadcast.shape([x, try c.shape(1)]) == x else {
                throw c.fail("slope shape \(try c.shape(1)) does not broadcast to \(x)")
            }
            return try c.same()
        }
        r["BatchNormalization"] = { c in
            let x = try c.shape(0)
            guard x.count >= 2 else { throw c.fail("input rank \(x.count) < 2") }
            for i in 1...4 {
                guard try c.shape(i) == [x[1]] else { throw c.fail("parameter \(i) has shape \(try c.shape(i)), expected [\(x[1])]") }
            }
            if try c.node.int("training_mode", default: 0) != 0 { throw c.fail("training_mode=1 is not supported") }
            return try c.same()
        }
        r["Cast"] = { c in
            guard let to = try c.node.int("to"), let d = DataType(rawValue: Int(to)) else {
                throw c.fail("Cast to an unsupported type")
            }
            return [ValueInfo(dtype: d, shape: try c.shape(0))]
        }
        r["Shape"] = { c in
            let r = Int64(try c.shape(0).count)
            func clamp(_ v: Int64) -> Int64 { min(max(v < 0 ? v + r : v, 0), r) }
            let n = max(clamp(try c.node.int("end", default: r)) - clamp(try c.node.int("start", default: 0)), 0)
            return [ValueInfo(dtype: .int64, shape: [Int(n)])]
        }
        r["Size"] = { _ in [ValueInfo(dtype: .int64, shape: [])] }
    }
}
