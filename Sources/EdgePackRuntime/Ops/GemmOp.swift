import EdgePackFormat

/// Float Gemm: x [..., K], weight [N, K], bias [N] (optional), PReLU slope; y [..., N].
func prepareGemm(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    guard case .gemm(let act) = c.op.options else { throw c.fail("options are not GemmOptions") }
    let x = try c.input(0, .float32, "input")
    let w = try c.constant(1, .float32, "weight")
    let bias = try c.optionalInput(2, .float32, "bias")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape, ws = c.tensor(w).shape
    guard ws.count == 2, let k = xs.last, ws[1] == k else { throw c.fail("weight \(ws) does not match input \(xs) (want [N, \(xs.last ?? 0)])") }
    if let bias { try c.expectChannelVector(bias, ws[0], "bias") }
    var outShape = xs; outShape[outShape.count - 1] = ws[0]
    try c.expectShape(out, outShape, "output")
    var prepared = PreparedOp(kind: .gemmFloat, index: c.index, inputs: [x, w, bias ?? -1], output: out)
    prepared.k = k; prepared.rows = c.tensor(x).elementCount / k; prepared.count = ws[0]
    prepared.activation = act
    if act.kind == .prelu {
        let slope = try c.constant(3, .float32, "PReLU slope")
        try c.expectChannelVector(slope, ws[0], "PReLU slope", allowScalar: true)
        prepared.inputs.append(slope)
    }
    prepared.scratchSizes = [denseInputBytes(rows: prepared.rows, n: ws[0], k: k)]
    prepared.packedWeightCount = densePackedWeightCount(rows: prepared.rows, n: ws[0], k: k)
    return prepared
}

/// Binary Gemm: packed x [..., K], packed weight [N, K], scale [N], bias [N], PReLU slope.
func prepareBinaryGemm(_ c: OpContext, mode: ExecutionMode) throws(RuntimeError) -> PreparedOp {
    guard case .binaryGemm(let act) = c.op.options else { throw c.fail("options are not BinaryGemmOptions") }
    let x = try c.input(0, .bit, "packed input")
    let w = try c.constant(1, .bit, "packed weight")
    let scale = try c.constant(2, .float32, "scale")
    let bias = try c.constant(3, .float32, "bias")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape, ws = c.tensor(w).shape
    guard ws.count == 2, let k = xs.last, ws[1] == k else { throw c.fail("weight \(ws) does not match input \(xs)") }
    try c.expectChannelVector(scale, ws[0], "scale")
    try c.expectChannelVector(bias, ws[0], "bias")
    var outShape = xs; outShape[outShape.count - 1] = ws[0]
    try c.expectShape(out, outShape, "output")
    var prepared = PreparedOp(kind: .bgemm, index: c.index, inputs: [x, w, scale, bias], output: out)
    prepared.k = k; prepared.rows = c.tensor(x).elementCount / k; prepared.count = ws[0]
    prepared.words = (k + 63) / 64
    prepared.activation = act
    if act.kind == .prelu {
        let slope = try c.constant(4, .float32, "PReLU slope")
        try c.expectChannelVector(slope, ws[0], "PReLU slope", allowScalar: true)
        prepared.inputs.append(slope)
    }
    if mode == .floatReference {
        let packed = c.model.constantData(w).bindMemory(to: UInt64.self)
        var f = [Float](repeating: 0, count: ws[0] * k)
        for n in 0..<ws[0] {
            for i in 0..<k {
                f[n * k + i] = (packed[n * prepared.words + i / 64] >> UInt64(i % 64)) & 1 == 1 ? -1 : 1
            }
        }
        prepared.emulatedWeights = f
        prepared.kind = .bgemmEmulated
        prepared.scratchSizes = [denseInputBytes(rows: prepared.rows, n: ws[0], k: k)]
        let panels = densePackedWeightCount(rows: prepared.rows, n: ws[0], k: k)
        prepared.packedWeightCount = panels > 0 ? panels : f.count
    } else {
        prepared.scratchSizes = [prepared.rows * ws[0] * 4]
    }
    return prepared
}
