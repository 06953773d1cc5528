import EdgePackFormat
import EdgePackRuntime
import EdgePackHost

/// Add, Sub, Mul and Div.
extension Emitter {
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
}
