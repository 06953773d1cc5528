import EdgePackFormat
import EdgePackHost

/// Conv, Gemm and MatMul: binary when the input is Sign(x) and the weights are ±α per output
/// channel, float otherwise; a following BatchNorm and activation fold into the layer.
extension Emitter {
    /// BatchNorm and activation that can be folded into a layer's per-channel output.
    struct Epilogue {
        var scale: [Float]? = nil        // BatchNorm as y * scale + shift
        var shift: [Float]? = nil
        var activation = FusedActivation()
        var slope: [Float]? = nil        // PReLU
        var nodes: [Node] = []
        var output: String
        var parameters = 0               // float parameters of the fused nodes
    }

    /// Follows a layer's output through a sole BatchNormalization and then a sole Relu, Clip or
    /// PReLU consumer. `channelAxisIsOne` is false for dense layers with rank > 2 outputs, where
    /// BatchNorm's axis 1 is not the layer's output channel.
    func epilogue(after i: Int, channels: Int, channelAxisIsOne: Bool) throws -> Epilogue {
        var e = Epilogue(output: g.nodes[i].outputs[0])
        func soleConsumer(_ v: String) -> Int? {
            guard !graphOutputs.contains(v), let c = consumers[v], c.count == 1, !done.contains(c[0]) else { return nil }
            return c[0]
        }
        if channelAxisIsOne, let j = soleConsumer(e.output), g.nodes[j].opType == "BatchNormalization",
           g.nodes[j].inputs.first == e.output, let (s, t) = try batchNormAffine(g.nodes[j]), s.count == channels {
            e.scale = s; e.shift = t
            e.nodes.append(g.nodes[j]); done.insert(j)
            e.output = g.nodes[j].outputs[0]
            e.parameters += 4 * channels
        }
        if let k = soleConsumer(e.output), g.nodes[k].inputs.first == e.output {
            let a = g.nodes[k]
            switch a.opType {
            case "Relu":
                e.activation = FusedActivation(kind: .relu)
            case "Clip":
                guard let (lo, hi) = clipBounds(a) else { return e }
                e.activation = FusedActivation(kind: .clip, clipMin: lo, clipMax: hi)
            case "PRelu":
                let outShape = try shape(e.output)
                guard let slope = constant(a.input(1)), let v = channelVector(slope, outShape),
                      v.count == 1 || v.count == channels, channelAxisIsOne || v.count == 1 || outShape.count == 2 else { return e }
                e.activation = FusedActivation(kind: .prelu)
                e.slope = v
                e.parameters += slope.count
            default:
                return e
            }
            e.nodes.append(a); done.insert(k)
            e.output = a.outputs[0]
        }
        return e
    }

    /// BatchNormalization (inference) as y = x * scale + shift, in float32.
    func batchNormAffine(_ n: Node) throws -> ([Float], [Float])? {
        guard let gamma = constant(n.input(1))?.floats, let beta = constant(n.input(2))?.floats,
              let mean = constant(n.input(3))?.floats, let variance = constant(n.input(4))?.floats,
              gamma.count == beta.count, mean.count == beta.count, variance.count == beta.count else { return nil }
        let eps = try n.float("epsilon") ?? 1e-5
        let scale = zip(gamma, variance).map { $0 / ($1 + eps).squareRoot() }
        let shift = (0..<beta.count).map { beta[$0] - mean[$0] * scale[$0] }
        return (scale, shift)
    }

    /// Constant scalar bounds of a Clip (absent bounds are infinite).
    func clipBounds(_ n: Node) -> (Float, Float)? {
        var lo = -Float.infinity, hi = Float.infinity
        if let name = n.input(1) { guard let v = constant(name)?.floats, v.count == 1 else { return nil }; lo = v[0] }
        if let name = n.input(2) { guard let v = constant(name)?.floats, v.count == 1 else { return nil }; hi = v[0] }
        return (lo, hi)
    }

    /// Values of a constant that varies only along axis 1 of `shape` (numpy alignment), or a
    /// single value; nil when it varies along another axis.
    func channelVector(_ t: Tensor, _ shape: [Int]) -> [Float]? {
        guard let v = t.floats else { return nil }
        if t.count == 1 { return v }
        guard t.rank <= shape.count, shape.count >= 2 else { return nil }
        let offset = shape.count - t.rank
        for (j, d) in t.shape.enumerated() where d != 1 {
            guard offset + j == 1, d == shape[1] else { return nil }
        }
        return v
    }

    /// Why a layer reading `input` with these weights is, or is not, binary.
    func binaryChoice(input: String, weights: [Float], rows: Int) -> (sign: Int?, alpha: [Float]?, reason: String) {
        guard let s = signNode(of: input) else { return (nil, nil, "input is not Sign(x)") }
        if let x = g.nodes[s].input(0), let p = producers[x] {
            let src = g.nodes[p]
            let nonNegative = src.opType == "Relu" || (src.opType == "Clip" && (clipBounds(src)?.0 ?? -1) >= 0)
            if nonNegative {
                return (nil, nil, "Sign of a \(src.opType) output is often exactly 0, which has no bit (sign(0) = 0)")
            }
        }
        let (alpha, why) = BinaryWeights.scales(weights, rows: rows)
        guard let alpha else { return (nil, nil, why) }
        return (s, alpha, "Sign input, weights ±α per output channel")
    }

    func convParams(_ n: Node, input xs: [Int], kernel: [Int], epilogue e: Epilogue) throws -> ConvParams {
        let spatial = xs.count - 2
        let strides = try (n.ints("strides") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
        let dilations = try (n.ints("dilations") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
        var pads = try (n.ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)).map { Int(clamping: $0) }
        switch try n.string("auto_pad") ?? "NOTSET" {
        case "NOTSET": break
        case "VALID": pads = [Int](repeating: 0, count: 2 * spatial)
        case let mode:
            // SAME_*: total padding so that out = ceil(in / stride); the odd pixel goes last
            // (SAME_UPPER) or first (SAME_LOWER).
            for k in 0..<spatial {
                let out = (xs[k + 2] + strides[k] - 1) / strides[k]
                let total = max((out - 1) * strides[k] + (kernel[k] - 1) * dilations[k] + 1 - xs[k + 2], 0)
                let small = total / 2
                pads[k] = mode == "SAME_UPPER" ? small : total - small
                pads[k + spatial] = total - pads[k]
            }
        }
        // The file format's limits (checked again by the model reader).
        let limit = 1 << 16
        guard (strides + dilations).allSatisfy({ $0 >= 1 && $0 <= limit }), pads.allSatisfy({ $0 >= 0 && $0 <= limit }),
              try n.int("group", default: 1) <= Int64(limit) else {
            throw LowerError.unsupportedForm(node: n.label, detail: "strides \(strides), dilations \(dilations) or pads \(pads) are outside 1...\(limit)")
        }
        for k in 0..<spatial where pads[k] >= (kernel[k] - 1) * dilations[k] + 1 {
            throw LowerError.unsupportedForm(node: n.label, detail: "leading padding \(pads[k]) reaches past the kernel (extent \((kernel[k] - 1) * dilations[k] + 1)); the runtime's convolutions need it smaller")
        }
        var p = ConvParams()
        p.groups = Int(clamping: try n.int("group", default: 1))
        p.activation = e.activation
        if spatial == 2 {
            p.strideH = strides[0]; p.strideW = strides[1]
            p.dilationH = dilations[0]; p.dilationW = dilations[1]
            p.padTop = pads[0]; p.padLeft = pads[1]; p.padBottom = pads[2]; p.padRight = pads[3]
        } else {
            p.strideW = strides[0]; p.dilationW = dilations[0]; p.padLeft = pads[0]; p.padRight = pads[1]
        }
        return p
    }

    func emitConv(_ i: Int) throws {
        let n = g.nodes[i]
        guard let x = n.input(0), let wName = n.input(1) else { throw LowerError.unsupportedForm(node: n.label, detail: "missing inputs") }
        guard let wt = constant(wName), let w = wt.floats else {
            throw LowerError.unsupportedForm(node: n.label, detail: "the weight is computed at run time; only constant weights are supported")
        }
        let xs = try shape(x), ws = wt.shape
        guard xs.count == 3 || xs.count == 4 else { throw LowerError.unsupportedForm(node: n.label, detail: "only 1-D and 2-D convolutions are supported, input is \(xs)") }
        let cout = ws[0], cin = xs[1], taps = ws[2...].reduce(1, *)
        let bias = constant(n.input(2))?.floats
        if n.input(2) != nil && bias == nil { throw LowerError.unsupportedForm(node: n.label, detail: "the bias is computed at run time") }
        let e = try epilogue(after: i, channels: cout, channelAxisIsOne: true)
        var params = try convParams(n, input: xs, kernel: Array(ws[2...]), epilogue: e)
        let is1D = xs.count == 3
        let outName = e.output
        let before = 4 * (w.count + (bias?.count ?? 0)) + 4 * e.parameters
        var choice = binaryChoice(input: x, weights: w, rows: cout)
        let depthwise = params.groups > 1
        if choice.alpha != nil {
            if depthwise && !(params.groups == cin && cout == cin && ws[1] == 1) {
                choice = (nil, nil, "grouped convolution that is not depthwise (groups \(params.groups))")
            } else if taps > 64 {
                choice = (nil, nil, "\(taps) kernel taps; binary kernels take at most 64")
            }
        }
        if let s = choice.sign, let alpha = choice.alpha {
            let packedInput = try packedSign(s, channelsLast: true)
            // Runtime layout: [Cout, taps, Cin] (depthwise: [taps, C]), signs packed along channels.
            var values = [Float](repeating: 0, count: w.count)
            let wShape: [Int]
            if depthwise {
                for c in 0..<cout { for t in 0..<taps { values[t * cout + c] = w[c * taps + t] } }
                wShape = Array(ws[2...]) + [cout]
            } else {
                for o in 0..<cout { for c in 0..<cin { for t in 0..<taps { values[(o * taps + t) * cin + c] = w[(o * cin + c) * taps + t] } } }
                wShape = [cout] + Array(ws[2...]) + [cin]
            }
            let words = packSigns(values, rowLength: wShape.last!)
            let wp = b.addPackedConstant(wName + "/packed", shape: wShape, words: words)
            var scale = alpha, shift = bias ?? [Float](repeating: 0, count: cout)
            if let s = e.scale, let t = e.shift {
                scale = zip(alpha, s).map { $0 * $1 }
                shift = (0..<cout).map { shift[$0] * s[$0] + t[$0] }
            }
            let sc = b.addConstant(n.outputs[0] + "/scale", shape: [cout], floats: scale)
            let bi = b.addConstant(n.outputs[0] + "/bias", shape: [cout], floats: shift)
            var inputs = [packedInput, wp, sc, bi]
            if let slope = e.slope { inputs.append(b.addConstant(outName + "/slope", shape: [slope.count], floats: slope)) }
            let out = try activation(outName)
            b.addOperator(is1D ? .binaryConv1d : .binaryConv2d, inputs: inputs, outputs: [out],
                          options: .binaryConv(params, inputChannels: cin), name: n.name)
            let after = words.count * 8 + 8 * cout + 4 * (e.slope?.count ?? 0)
            try record(n, fused: e.nodes, kernel: .binary, reason: choice.reason, input: x, output: outName,
                       parameters: w.count + (bias?.count ?? 0), before: before, after: after)
            return
        }
        // Float convolution, BatchNorm folded into the weights and bias.
        var weights = w
        var b2 = bias
        if let s = e.scale, let t = e.shift {
            for o in 0..<cout { for k in 0..<(w.count / cout) { weights[o * (w.count / cout) + k] *= s[o] } }
            b2 = (0..<cout).map { (bias?[$0] ?? 0) * s[$0] + t[$0] }
        }
        let wc = b.addConstant(wName, shape: ws, floats: weights)
        var inputs = [try floatValue(x), wc, b2.map { b.addConstant(n.outputs[0] + "/bias", shape: [cout], floats: $0) } ?? -1]
        if let slope = e.slope { inputs.append(b.addConstant(outName + "/slope", shape: [slope.count], floats: slope)) }
        if params.groups < 1 { params.groups = 1 }
        let out = try activation(outName)
        b.addOperator(is1D ? .conv1d : .conv2d, inputs: inputs, outputs: [out], options: .conv(params), name: n.name)
        let why = notes[output: n.outputs[0]] ?? choice.reason
        try record(n, fused: e.nodes, kernel: .float, reason: why, input: x, output: outName,
                   parameters: w.count + (bias?.count ?? 0), before: before,
                   after: 4 * (weights.count + (b2?.count ?? 0) + (e.slope?.count ?? 0)))
    }

    /// Gemm (transA = 0) and MatMul by a constant: y[..., n] = sum_k x[..., k] W[n, k] + bias[n].
    func emitDense(_ i: Int) throws {
        let n = g.nodes[i]
        guard let x = n.input(0), let wName = n.input(1) else { throw LowerError.unsupportedForm(node: n.label, detail: "missing inputs") }
        guard let wt = constant(wName), let raw = wt.floats, wt.rank == 2 else {
            throw LowerError.unsupportedOp(node: n.label, detail: "\(n.opType) of two run-time tensors (or a weight that is not a 2-D constant) has no EdgePack kernel")
        }
        let xs = try shape(x)
        var weight: [Float]
        var nOut: Int, k: Int
        var bias: [Float]? = nil
        if n.opType == "Gemm" {
            guard try n.int("transA", default: 0) == 0 else { throw LowerError.unsupportedForm(node: n.label, detail: "transA = 1") }
            let transB = try n.int("transB", default: 0) != 0
            (nOut, k) = transB ? (wt.shape[0], wt.shape[1]) : (wt.shape[1], wt.shape[0])
            weight = transB ? raw : transposed(raw, rows: wt.shape[0], cols: wt.shape[1])
            let alpha = try n.float("alpha") ?? 1
            if alpha != 1 { weight = weight.map { $0 * alpha } }
            if let cName = n.input(2) {
                guard let c = constant(cName)?.floats, c.count == nOut || c.count == 1 else {
                    throw LowerError.unsupportedForm(node: n.label, detail: "C must be a constant of \(nOut) values")
                }
                let beta = try n.float("beta") ?? 1
                bias = (c.count == 1 ? [Float](repeating: c[0], count: nOut) : c).map { beta == 1 ? $0 : $0 * beta }
            }
        } else {
            (k, nOut) = (wt.shape[0], wt.shape[1])
            weight = transposed(raw, rows: k, cols: nOut)
        }
        guard xs.last == k else { throw LowerError.unsupportedForm(node: n.label, detail: "input \(xs) does not end in \(k)") }
        let outRank = xs.count
        let e = try epilogue(after: i, channels: nOut, channelAxisIsOne: outRank == 2)
        let outName = e.output
        let before = 4 * (raw.count + (bias?.count ?? 0)) + 4 * e.parameters
        let choice = binaryChoice(input: x, weights: weight, rows: nOut)
        if let s = choice.sign, let alpha = choice.alpha {
            let packedInput = try packedSign(s, channelsLast: false)
            let words = packSigns(weight, rowLength: k)
            let wp = b.addPackedConstant(wName + "/packed", shape: [nOut, k], words: words)
            var scale = alpha, shift = bias ?? [Float](repeating: 0, count: nOut)
            if let s = e.scale, let t = e.shift {
                scale = zip(alpha, s).map { $0 * $1 }
                shift = (0..<nOut).map { shift[$0] * s[$0] + t[$0] }
            }
            var inputs = [packedInput, wp, b.addConstant(n.outputs[0] + "/scale", shape: [nOut], floats: scale),
                          b.addConstant(n.outputs[0] + "/bias", shape: [nOut], floats: shift)]
            if let slope = e.slope { inputs.append(b.addConstant(outName + "/slope", shape: [slope.count], floats: slope)) }
            let out = try activation(outName)
            b.addOperator(.binaryGemm, inputs: inputs, outputs: [out], options: .binaryGemm(e.activation), name: n.name)
            try record(n, fused: e.nodes, kernel: .binary, reason: choice.reason, input: x, output: outName,
                       parameters: raw.count + (bias?.count ?? 0), before: before,
                       after: words.count * 8 + 8 * nOut + 4 * (e.slope?.count ?? 0))
            return
        }
        if let s = e.scale, let t = e.shift {
            for o in 0..<nOut { for j in 0..<k { weight[o * k + j] *= s[o] } }
            bias = (0..<nOut).map { (bias?[$0] ?? 0) * s[$0] + t[$0] }
        }
        var inputs = [try floatValue(x), b.addConstant(wName, shape: [nOut, k], floats: weight),
                      bias.map { b.addConstant(n.outputs[0] + "/bias", shape: [nOut], floats: $0) } ?? -1]
        if let slope = e.slope { inputs.append(b.addConstant(outName + "/slope", shape: [slope.count], floats: slope)) }
        let out = try activation(outName)
        b.addOperator(.gemm, inputs: inputs, outputs: [out], options: .gemm(e.activation), name: n.name)
        try record(n, fused: e.nodes, kernel: .float, reason: choice.reason, input: x, output: outName,
                   parameters: raw.count + (bias?.count ?? 0), before: before,
                   after: 4 * (weight.count + (bias?.count ?? 0) + (e.slope?.count ?? 0)))
    }

    func transposed(_ v: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: v.count)
        for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = v[r * cols + c] } }
        return out
    }
}
