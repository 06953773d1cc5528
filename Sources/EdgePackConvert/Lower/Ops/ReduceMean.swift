import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

extension Emitter {
    /// ReduceMean over every spatial axis (how the dynamo exporter writes adaptive average
    /// pooling to 1) is a global average pool, reshaped when keepdims = 0.
    func emitReduceMean(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let spec = try reductionAxes(n)
        let axes = Set(try spec.map { try normalizedAxis($0, rank: xs.count) })
        if xs.count >= 2, axes.count == 1, let axis = axes.first, axes != Set(2..<xs.count) {
            try emitMeanOverAxis(n, xs, axis: axis)
            return
        }
        guard xs.count == 3 || xs.count == 4, axes == Set(2..<xs.count) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "ReduceMean over axes \(spec.sorted()) of \(xs); only over one axis or over all spatial axes (global average pooling)")
        }
        var p = PoolParams()
        p.kind = .average
        p.global = true
        let keep = try n.int("keepdims", default: 1) != 0
        let pooledShape = Array(xs[..<2]) + [Int](repeating: 1, count: xs.count - 2)
        let pooled = keep ? try activation(n.outputs[0]) : b.addActivation(n.outputs[0] + "/pooled", shape: pooledShape)
        b.addOperator(xs.count == 3 ? .pool1d : .pool2d, inputs: [try floatValue(x)], outputs: [pooled], options: .pool(p), name: n.name)
        if !keep {
            let out = try activation(n.outputs[0])
            b.addOperator(.reshape, inputs: [pooled], outputs: [out], options: .reshape, name: n.name + "/reshape")
        }
        try record(n, kernel: .float, reason: "mean over spatial axes as global average pooling", input: x, output: n.outputs[0])
    }

    /// Mean over one axis: that axis moved last (a transpose, unless it is last), a dense layer
    /// with a row of ones (the sum), times 1/T (exactly the division when T is a power of two,
    /// within one rounding otherwise), then the output's shape (a reshape: the other axes keep
    /// their order).
    func emitMeanOverAxis(_ n: Node, _ xs: [Int], axis: Int) throws {
        var input = try floatValue(n.inputs[0])
        var moved = xs
        if axis != xs.count - 1 {
            let perm = (0..<xs.count).filter { $0 != axis } + [axis]
            moved = perm.map { xs[$0] }
            let t = b.addActivation(n.outputs[0] + "/axis_last", shape: moved)
            b.addOperator(.transpose, inputs: [input], outputs: [t], options: .transpose(perm: perm), name: n.name + "/axis_last")
            input = t
        }
        let t = moved[moved.count - 1]
        let direct = try n.int("keepdims", default: 1) != 0 && axis == xs.count - 1
        let summedShape = Array(moved.dropLast()) + [1]
        let ones = b.addConstant(n.outputs[0] + "/ones", shape: [1, t], floats: [Float](repeating: 1, count: t))
        let sum = b.addActivation(n.outputs[0] + "/sum", shape: summedShape)
        b.addOperator(.gemm, inputs: [input, ones, -1], outputs: [sum], options: .gemm(FusedActivation()), name: n.name + "/sum")
        let inv = b.addConstant(n.outputs[0] + "/inverse_count", shape: [1], floats: [1 / Float(t)])
        let mean = direct ? try activation(n.outputs[0]) : b.addActivation(n.outputs[0] + "/kept", shape: summedShape)
        b.addOperator(.mul, inputs: [sum, inv], outputs: [mean], options: .add(FusedActivation()), name: n.name)
        if !direct {
            let out = try activation(n.outputs[0])
            b.addOperator(.reshape, inputs: [mean], outputs: [out], options: .reshape, name: n.name + "/reshape")
        }
        try record(n, kernel: .float, reason: "mean over axis \(axis) as a sum (dense by ones) times 1/\(t)", input: n.inputs[0],
                   output: n.outputs[0], parameters: 0, before: 0, after: 4 * t + 4)
    }
}
