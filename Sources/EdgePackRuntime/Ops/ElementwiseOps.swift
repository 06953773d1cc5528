import EdgePackFormat

/// Channel dimension of [N, C, ...] data: (batch, channels, spatial).
func channelLayout(_ shape: [Int]) -> (Int, Int, Int) {
    if shape.count == 0 { return (1, 1, 1) }
    if shape.count == 1 { return (1, shape[0], 1) }
    return (shape[0], shape[1], shape[2...].reduce(1, *))
}

/// x * scale[c] + bias[c] (folded BatchNorm) over axis 1.
func prepareChannelAffine(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    let x = try c.input(0, .float32, "input")
    let scale = try c.constant(1, .float32, "scale")
    let bias = try c.constant(2, .float32, "bias")
    let out = try c.output(.float32)
    try c.expectShape(out, c.tensor(x).shape, "output")
    let (n, ch, sp) = channelLayout(c.tensor(x).shape)
    try c.expectChannelVector(scale, ch, "scale")
    try c.expectChannelVector(bias, ch, "bias")
    var p = PreparedOp(kind: .channelAffine, index: c.index, inputs: [x, scale, bias], output: out)
    p.geometry.batch = n; p.geometry.inChannels = ch; p.count = sp
    return p
}

func preparePRelu(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    let x = try c.input(0, .float32, "input")
    let slope = try c.constant(1, .float32, "slope")
    let out = try c.output(.float32)
    try c.expectShape(out, c.tensor(x).shape, "output")
    let (n, ch, sp) = channelLayout(c.tensor(x).shape)
    try c.expectChannelVector(slope, ch, "slope", allowScalar: true)
    var p = PreparedOp(kind: .prelu, index: c.index, inputs: [x, slope], output: out)
    p.geometry.batch = n; p.geometry.inChannels = ch; p.count = sp
    return p
}

/// ReLU and Clip: same shape in and out.
func prepareUnary(_ c: OpContext, kind: KernelKind) throws(RuntimeError) -> PreparedOp {
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    try c.expectShape(out, c.tensor(x).shape, "output")
    var p = PreparedOp(kind: kind, index: c.index, inputs: [x], output: out)
    p.count = c.tensor(x).elementCount
    if kind == .clip {
        guard case .clip(let lo, let hi) = c.op.options else { throw c.fail("options are not ClipOptions") }
        guard lo <= hi else { throw c.fail("clip range \(lo)...\(hi) is empty") }
        p.activation = FusedActivation(kind: .clip, clipMin: lo, clipMax: hi)
    }
    return p
}

/// a + b (a - b, a * b), with b the same shape or a trailing-dimension broadcast (b's shape,
/// leading 1s dropped, equal to a's last dimensions).
func prepareAdd(_ c: OpContext, kind: KernelKind = .add) throws(RuntimeError) -> PreparedOp {
    guard case .add(let act) = c.op.options else { throw c.fail("options are not AddOptions") }
    let a = try c.input(0, .float32, "first input")
    let b = try c.input(1, .float32, "second input")
    let out = try c.output(.float32)
    let sa = c.tensor(a).shape
    var sb = c.tensor(b).shape
    while sb.count > 1 && sb[0] == 1 { sb.removeFirst() }
    guard sb.count <= sa.count, Array(sa[(sa.count - sb.count)...]) == sb else {
        throw c.fail("cannot broadcast \(c.tensor(b).shape) onto \(sa)")
    }
    guard act.kind == .none || act.kind == .relu else { throw c.fail("only ReLU can be fused into Add") }
    try c.expectShape(out, sa, "output")
    var p = PreparedOp(kind: kind, index: c.index, inputs: [a, b], output: out)
    p.count = c.tensor(a).elementCount
    p.k = c.tensor(b).elementCount
    p.activation = act
    return p
}

/// Float sign, ONNX semantics: -1, 0 or +1.
func prepareSign(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    try c.expectShape(out, c.tensor(x).shape, "output")
    var p = PreparedOp(kind: .sign, index: c.index, inputs: [x], output: out)
    p.count = c.tensor(x).elementCount
    return p
}

/// MatMul of two run-time tensors: a [batch..., M, K], b [batch..., K, N] or [K, N].
func prepareMatMul(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    let a = try c.input(0, .float32, "first input")
    let b = try c.input(1, .float32, "second input")
    let out = try c.output(.float32)
    let sa = c.tensor(a).shape, sb = c.tensor(b).shape
    guard sa.count >= 2, sb.count >= 2 else { throw c.fail("inputs must have rank >= 2, have \(sa) and \(sb)") }
    let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
    guard sb[sb.count - 2] == k else { throw c.fail("inner dimensions differ: \(sa) × \(sb)") }
    let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
    guard batchB.isEmpty || batchB.reduce(1, *) == 1 || batchB == batchA else {
        throw c.fail("batch dimensions \(batchA) and \(batchB) do not match")
    }
    var expected = batchA; expected.append(m); expected.append(n)
    try c.expectShape(out, expected, "output")
    var p = PreparedOp(kind: .matmul, index: c.index, inputs: [a, b], output: out)
    p.outer = batchA.reduce(1, *); p.rows = m; p.k = k; p.count = n
    p.axis = batchB.reduce(1, *) == 1 ? 0 : 1      // 1: b has one matrix per batch
    if c.tensor(b).isConstant {
        p.packedWeightCount = c.tensor(b).elementCount   // transposed once, at prepare
    } else {
        p.scratchSizes = [n * k * 4]
    }
    return p
}
