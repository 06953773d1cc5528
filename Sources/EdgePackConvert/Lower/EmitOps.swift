import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Everything that is not a convolution or dense layer.
extension Emitter {
    /// y = x * scale[c] + bias[c] on axis 1.
    func channelAffine(_ n: Node, input x: String, scale: [Float], bias: [Float], output: String, reason: String, before: Int) throws {
        let c = try shape(x).count >= 2 ? try shape(x)[1] : 1
        func full(_ v: [Float]) -> [Float] { v.count == 1 ? [Float](repeating: v[0], count: c) : v }
        guard full(scale).count == c, full(bias).count == c else {
            throw LowerError.unsupportedForm(node: n.label, detail: "per-channel constants of \(scale.count) values for \(c) channels")
        }
        let s = b.addConstant(output + "/scale", shape: [c], floats: full(scale))
        let t = b.addConstant(output + "/bias", shape: [c], floats: full(bias))
        let out = try activation(output)
        b.addOperator(.channelAffine, inputs: [try floatValue(x), s, t], outputs: [out], options: .channelAffine, name: n.name)
        try record(n, kernel: .float, reason: reason, input: x, output: output, parameters: scale.count + bias.count,
                   before: before, after: 8 * c)
    }

    func emitBatchNorm(_ i: Int) throws {
        let n = g.nodes[i]
        guard let (s, t) = try batchNormAffine(n) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "BatchNormalization parameters must be constants")
        }
        try channelAffine(n, input: n.inputs[0], scale: s, bias: t, output: n.outputs[0],
                          reason: "BatchNorm as a per-channel affine", before: 16 * s.count)
    }

    func emitActivation(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        switch n.opType {
        case "Relu":
            let out = try activation(n.outputs[0])
            b.addOperator(.relu, inputs: [try floatValue(x)], outputs: [out], options: .none, name: n.name)
        case "Clip":
            guard let (lo, hi) = clipBounds(n) else { throw LowerError.unsupportedForm(node: n.label, detail: "Clip bounds must be constant scalars") }
            let out = try activation(n.outputs[0])
            b.addOperator(.clip, inputs: [try floatValue(x)], outputs: [out], options: .clip(min: lo, max: hi), name: n.name)
        default:
            guard let t = constant(n.input(1)), let slope = channelVector(t, try shape(x)) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "PRelu slope must be a constant per channel (axis 1) or a scalar")
            }
            let st = b.addConstant(n.outputs[0] + "/slope", shape: [slope.count], floats: slope)
            let out = try activation(n.outputs[0])
            b.addOperator(.prelu, inputs: [try floatValue(x), st], outputs: [out], options: .prelu, name: n.name)
            try record(n, kernel: .float, reason: "activation", input: x, output: n.outputs[0], parameters: slope.count,
                       before: 4 * t.count, after: 4 * slope.count)
            return
        }
        try record(n, kernel: .float, reason: "activation", input: x, output: n.outputs[0])
    }

    /// Add/Sub/Mul map to the runtime's ADD/SUB/MUL, whose second operand is the same shape
    /// or broadcasts over the first one's trailing dimensions (a ReLU that follows is fused).
    /// With a constant varying along axis 1 only they become one channel affine instead
    /// (x - c = x + (-c) and x * c are exact there; x / c becomes x * (1/c), one rounding more).
    func emitArithmetic(_ i: Int) throws {
        let n = g.nodes[i]
        let a = n.inputs[0], c = n.inputs[1]
        let ka = constant(a), kc = constant(c)
        let outShape = try shape(n.outputs[0])
        if let k = kc ?? ka, ka == nil || kc == nil {
            let x = kc != nil ? a : c
            let xs = try shape(x)
            if xs == outShape, let v = channelVector(k, xs), n.opType != "Div" || kc != nil {
                let ones = [Float](repeating: 1, count: v.count), zeros = [Float](repeating: 0, count: v.count)
                let (scale, bias): ([Float], [Float])
                switch (n.opType, kc == nil) {
                case ("Add", _): (scale, bias) = (ones, v)
                case ("Sub", false): (scale, bias) = (ones, v.map { -$0 })
                case ("Sub", true): (scale, bias) = (ones.map { -$0 }, v)
                case ("Mul", _): (scale, bias) = (v, zeros)
                default: (scale, bias) = (v.map { 1 / $0 }, zeros)
                }
                try channelAffine(n, input: x, scale: scale, bias: bias, output: n.outputs[0],
                                  reason: "\(n.opType) by a per-channel constant as an affine", before: 4 * k.count)
                return
            }
        }
        guard n.opType != "Div" || ka == nil else {
            throw LowerError.unsupportedOp(node: n.label, detail: "division by a run-time tensor has no EdgePack kernel")
        }
        // Second operand: the constant reciprocal for x / c, else the value itself.
        var second: Int
        let kind: OpCode
        switch n.opType {
        case "Add": kind = .add
        case "Sub": kind = .sub
        default: kind = .mul
        }
        if n.opType == "Div", let k = kc {
            guard let f = k.floats else { throw LowerError.unsupportedForm(node: n.label, detail: "divisor is \(k.dtype)") }
            second = b.addConstant(c + "/reciprocal", shape: k.shape.isEmpty ? [1] : k.shape, floats: f.map { 1 / $0 })
        } else {
            second = try floatValue(c)
        }
        var first = try floatValue(a)
        var sa = try ka.map { $0.shape.isEmpty ? [1] : $0.shape } ?? shape(a)
        var sc = try kc.map { $0.shape.isEmpty ? [1] : $0.shape } ?? shape(c)
        var negate = false
        func fits(_ small: [Int], _ big: [Int]) -> Bool {
            big == outShape && (Self.isTrailingBroadcast(small, onto: big) || Self.expandsOverLastAxis(small, onto: big))
        }
        if !fits(sc, sa) {
            // The second operand is the larger one: swap (Sub then negates: a - c = -(c - a)).
            guard fits(sa, sc) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "\(n.opType) of \(sa) and \(sc): only equal shapes, a trailing broadcast, or a broadcast over the last axis are supported")
            }
            swap(&first, &second); swap(&sa, &sc)
            negate = n.opType == "Sub"
        }
        if !Self.isTrailingBroadcast(sc, onto: sa) {
            // [..., R, 1] against [..., R, T]: repeat along the last axis as a product with a row
            // of ones (exact), then the trailing broadcast applies.
            let t = sa[sa.count - 1]
            let ones = b.addConstant(n.outputs[0] + "/ones_row", shape: [1, t], floats: [Float](repeating: 1, count: t))
            let expanded = b.addActivation(n.outputs[0] + "/expanded", shape: Array(sc.dropLast()) + [t])
            b.addOperator(.matmul, inputs: [second, ones], outputs: [expanded], options: .none, name: n.name + "/expand")
            second = expanded
        }
        var act = FusedActivation()
        var outName = n.outputs[0]
        var fused: [Node] = []
        if !negate, !graphOutputs.contains(outName), let cs = consumers[outName], cs.count == 1, g.nodes[cs[0]].opType == "Relu" {
            act = FusedActivation(kind: .relu); fused = [g.nodes[cs[0]]]; done.insert(cs[0]); outName = g.nodes[cs[0]].outputs[0]
        }
        if negate {
            let diff = b.addActivation(outName + "/negated", shape: outShape)
            b.addOperator(.sub, inputs: [first, second], outputs: [diff], options: .add(act), name: n.name)
            let last = outShape.last ?? 1      // the runtime broadcasts over trailing dimensions only
            let minusOne = b.addConstant(outName + "/minus_one", shape: [last], floats: [Float](repeating: -1, count: last))
            let out = try activation(outName)
            b.addOperator(.mul, inputs: [diff, minusOne], outputs: [out], options: .add(FusedActivation()), name: n.name + "/negate")
        } else {
            let out = try activation(outName)
            b.addOperator(kind, inputs: [first, second], outputs: [out], options: .add(act), name: n.name)
        }
        let k = kc ?? ka
        try record(n, fused: fused, kernel: .float, reason: k == nil ? "elementwise on run-time tensors" : "elementwise with a constant",
                   input: a, output: outName, parameters: k?.count ?? 0, before: 4 * (k?.count ?? 0), after: 4 * (k?.count ?? 0))
    }

    /// |x| = x · sign(x), exact (the product with ±1 or 0 rounds nothing).
    func emitAbs(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let s = b.addActivation(n.outputs[0] + "/sign", shape: xs)
        b.addOperator(.sign, inputs: [try floatValue(x)], outputs: [s], options: .none, name: n.name + "/sign")
        let out = try activation(n.outputs[0])
        b.addOperator(.mul, inputs: [try floatValue(x), s], outputs: [out], options: .add(FusedActivation()), name: n.name)
        try record(n, kernel: .float, reason: "|x| as x·sign(x) (exact)", input: x, output: n.outputs[0])
    }

    /// MatMul of two run-time tensors (PointNet's input and feature transforms).
    func emitMatMulOfActivations(_ i: Int) throws {
        let n = g.nodes[i]
        let sa = try shape(n.inputs[0]), sb = try shape(n.inputs[1])
        let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
        guard sa.count >= 2, sb.count >= 2, batchB.isEmpty || batchB.reduce(1, *) == 1 || batchB == batchA,
              try shape(n.outputs[0]) == batchA + [sa[sa.count - 2], sb[sb.count - 1]] else {
            throw LowerError.unsupportedForm(node: n.label, detail: "MatMul of \(sa) and \(sb): the runtime multiplies [..., M, K] by [..., K, N] or [K, N] with equal batch dimensions")
        }
        let out = try activation(n.outputs[0])
        b.addOperator(.matmul, inputs: [try floatValue(n.inputs[0]), try floatValue(n.inputs[1])], outputs: [out], options: .none, name: n.name)
        try record(n, kernel: .float, reason: "product of two run-time tensors", input: n.inputs[0], output: n.outputs[0])
    }

    /// `small` is [..., R, 1] against `big` [..., R, T]: it broadcasts once repeated T times
    /// along its last axis.
    static func expandsOverLastAxis(_ small: [Int], onto big: [Int]) -> Bool {
        guard small.count >= 2, let l = small.last, l == 1, let t = big.last, t > 1 else { return false }
        return isTrailingBroadcast(Array(small.dropLast()) + [t], onto: big)
    }

    /// The runtime's Add broadcast: `small` with leading 1s dropped equals `big`'s last dimensions.
    static func isTrailingBroadcast(_ small: [Int], onto big: [Int]) -> Bool {
        var s = small
        while s.count > 1 && s[0] == 1 { s.removeFirst() }
        return s.count <= big.count && Array(big[(big.count - s.count)...]) == s
    }

    func emitPool(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        guard xs.count == 3 || xs.count == 4 else { throw LowerError.unsupportedForm(node: n.label, detail: "pooling of a rank-\(xs.count) tensor") }
        let is1D = xs.count == 3
        var p = PoolParams()
        p.kind = n.opType.contains("Max") ? .max : .average
        if n.opType.hasPrefix("Global") {
            p.global = true
        } else {
            guard let k = try n.ints("kernel_shape")?.map({ Int(clamping: $0) }) else { throw LowerError.unsupportedForm(node: n.label, detail: "no kernel_shape") }
            guard try (n.ints("dilations") ?? []).allSatisfy({ $0 == 1 }) else { throw LowerError.unsupportedForm(node: n.label, detail: "dilated pooling") }
            guard (try n.string("auto_pad") ?? "NOTSET") == "NOTSET" else { throw LowerError.unsupportedForm(node: n.label, detail: "auto_pad pooling") }
            let spatial = xs.count - 2
            let s = try (n.ints("strides") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
            var pads = try (n.ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)).map { Int(clamping: $0) }
            // ceil_mode: extend the end padding until the floor-mode size equals ONNX's size.
            let expected = try shape(n.outputs[0])
            for d in 0..<spatial {
                while (xs[d + 2] + pads[d] + pads[d + spatial] - k[d]) / s[d] + 1 < expected[d + 2] { pads[d + spatial] += 1 }
            }
            guard (0..<(2 * spatial)).allSatisfy({ pads[$0] < k[$0 % spatial] }) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "pads \(pads) must be smaller than the window \(k)")
            }
            guard (k + s).allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }), pads.allSatisfy({ $0 >= 0 && $0 < 1 << 16 }) else {
                throw LowerError.unsupportedForm(node: n.label, detail: "kernel \(k), strides \(s) or pads \(pads) are outside the format's range")
            }
            p.countIncludePad = try n.int("count_include_pad", default: 0) != 0
            let ceilMode = try n.int("ceil_mode", default: 0) != 0
            if p.countIncludePad && p.kind == .average && ceilMode {
                throw LowerError.unsupportedForm(node: n.label, detail: "ceil_mode with count_include_pad")
            }
            if is1D {
                p.kernelW = k[0]; p.strideW = s[0]; p.padLeft = pads[0]; p.padRight = pads[1]
            } else {
                p.kernelH = k[0]; p.kernelW = k[1]; p.strideH = s[0]; p.strideW = s[1]
                p.padTop = pads[0]; p.padLeft = pads[1]; p.padBottom = pads[2]; p.padRight = pads[3]
            }
        }
        let out = try activation(n.outputs[0])
        b.addOperator(is1D ? .pool1d : .pool2d, inputs: [try floatValue(x)], outputs: [out], options: .pool(p), name: n.name)
        try record(n, kernel: .float, reason: "pooling", input: x, output: n.outputs[0])
    }

    /// ReduceMean over every spatial axis (how the dynamo exporter writes adaptive average
    /// pooling to 1) is a global average pool, reshaped when keepdims = 0.
    func emitReduceMean(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let spec = try constant(n.input(1))?.integers ?? n.ints("axes") ?? []
        let axes = Set(try spec.map { try normalizedAxis($0, rank: xs.count) })
        if xs.count >= 2, axes == [xs.count - 1], axes != Set(2..<xs.count) {
            try emitMeanOverLastAxis(n, xs)
            return
        }
        guard xs.count == 3 || xs.count == 4, axes == Set(2..<xs.count) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "ReduceMean over axes \(spec.sorted()) of \(xs); only over all spatial axes (global average pooling)")
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

    /// Mean over the last axis: a dense layer with a row of ones (the sum), times 1/T
    /// (exactly the division when T is a power of two, within one rounding otherwise).
    func emitMeanOverLastAxis(_ n: Node, _ xs: [Int]) throws {
        let t = xs[xs.count - 1]
        let keep = try n.int("keepdims", default: 1) != 0
        let summedShape = Array(xs.dropLast()) + [1]
        let ones = b.addConstant(n.outputs[0] + "/ones", shape: [1, t], floats: [Float](repeating: 1, count: t))
        let sum = b.addActivation(n.outputs[0] + "/sum", shape: summedShape)
        b.addOperator(.gemm, inputs: [try floatValue(n.inputs[0]), ones, -1], outputs: [sum], options: .gemm(FusedActivation()), name: n.name + "/sum")
        let inv = b.addConstant(n.outputs[0] + "/inverse_count", shape: [1], floats: [1 / Float(t)])
        let mean = keep ? try activation(n.outputs[0]) : b.addActivation(n.outputs[0] + "/kept", shape: summedShape)
        b.addOperator(.mul, inputs: [sum, inv], outputs: [mean], options: .add(FusedActivation()), name: n.name)
        if !keep {
            let out = try activation(n.outputs[0])
            b.addOperator(.reshape, inputs: [mean], outputs: [out], options: .reshape, name: n.name + "/reshape")
        }
        try record(n, kernel: .float, reason: "mean over the last axis as a sum (dense by ones) times 1/\(t)", input: n.inputs[0],
                   output: n.outputs[0], parameters: 0, before: 0, after: 4 * t + 4)
    }

    /// ReduceMax over one axis; a following Add of a scalar constant (BiPointNet's pooling
    /// offset) becomes the operator's offset.
    func emitReduceMax(_ i: Int) throws {
        let n = g.nodes[i]
        let x = n.inputs[0]
        let xs = try shape(x)
        let spec = try constant(n.input(1))?.integers ?? n.ints("axes") ?? []
        guard spec.count == 1 else { throw LowerError.unsupportedForm(node: n.label, detail: "ReduceMax over \(spec.count) axes; one axis is supported") }
        let axis = try normalizedAxis(spec[0], rank: xs.count)
        let keep = try n.int("keepdims", default: 1) != 0
        var offset: Float = 0
        var outName = n.outputs[0]
        var fused: [Node] = []
        if !graphOutputs.contains(outName), let cs = consumers[outName], cs.count == 1, g.nodes[cs[0]].opType == "Add" {
            let add = g.nodes[cs[0]]
            let other = add.inputs[0] == outName ? add.inputs[1] : add.inputs[0]
            if let k = constant(other)?.floats, k.count == 1, try Broadcast.shape([try shape(outName), constant(other)!.shape]) == (try shape(outName)) {
                offset = k[0]; fused = [add]; done.insert(cs[0]); outName = add.outputs[0]
            }
        }
        let out = try activation(outName)
        b.addOperator(.reduceMax, inputs: [try floatValue(x)], outputs: [out], options: .reduceMax(axis: axis, keepDims: keep, offset: offset), name: n.name)
        try record(n, fused: fused, kernel: .float, reason: fused.isEmpty ? "max pooling over an axis" : "max pooling over an axis plus a constant offset",
                   input: x, output: outName)
    }

    func emitReshape(_ i: Int) throws {
        let n = g.nodes[i]
        let out = try activation(n.outputs[0])
        b.addOperator(.reshape, inputs: [try floatValue(n.inputs[0])], outputs: [out], options: .reshape, name: n.name)
        try record(n, kernel: .layout, reason: "same data, new shape", input: n.inputs[0], output: n.outputs[0])
    }

    func emitTranspose(_ i: Int) throws {
        let n = g.nodes[i]
        let xs = try shape(n.inputs[0])
        let perm = try Evaluator.transposePerm(try n.ints("perm"), rank: xs.count)
        let out = try activation(n.outputs[0])
        b.addOperator(.transpose, inputs: [try floatValue(n.inputs[0])], outputs: [out], options: .transpose(perm: perm), name: n.name)
        try record(n, kernel: .layout, reason: "axis permutation", input: n.inputs[0], output: n.outputs[0])
    }

    func emitSoftmax(_ i: Int) throws {
        let n = g.nodes[i]
        let xs = try shape(n.inputs[0])
        let axis = try normalizedAxis(try n.int("axis", default: -1), rank: xs.count)
        let out = try activation(n.outputs[0])
        let log = n.opType == "LogSoftmax"
        b.addOperator(log ? .logSoftmax : .softmax, inputs: [try floatValue(n.inputs[0])], outputs: [out],
                      options: .softmax(axis: axis), name: n.name)
        try record(n, kernel: .float, reason: log ? "log-softmax" : "softmax", input: n.inputs[0], output: n.outputs[0])
    }
}
