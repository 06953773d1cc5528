import EdgePackFormat

/// Normalizes a possibly negative axis.
func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
    let a = axis < 0 ? axis + rank : axis
    return a >= 0 && a < rank ? a : nil
}

/// Reshape (also Flatten/Squeeze/Unsqueeze after conversion): same element count.
func prepareReshape(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    try c.expectCount(out, c.tensor(x).elementCount, "output")
    var p = PreparedOp(kind: .copy, index: c.index, inputs: [x], output: out)
    p.count = c.tensor(x).elementCount
    return p
}

func prepareTranspose(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    guard case .transpose(let perm) = c.op.options else { throw c.fail("options are not TransposeOptions") }
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape
    guard perm.count == xs.count, perm.sorted() == Array(0..<xs.count) else {
        throw c.fail("perm \(perm) is not a permutation of rank \(xs.count)")
    }
    try c.expectShape(out, perm.map { xs[$0] }, "output")
    var p = PreparedOp(kind: .transpose, index: c.index, inputs: [x], output: out)
    p.perm = perm; p.shape = xs
    return p
}

/// Max over one axis plus a constant offset.
func prepareReduceMax(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
    guard case .reduceMax(let axis, let keep, let offset) = c.op.options else { throw c.fail("options are not ReduceMaxOptions") }
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape
    guard let a = normalizedAxis(axis, rank: xs.count) else { throw c.fail("axis \(axis) is outside rank \(xs.count)") }
    var expected = xs
    if keep { expected[a] = 1 } else { expected.remove(at: a) }
    if expected.isEmpty { expected = [1] }
    guard c.tensor(out).shape == expected || c.tensor(out).elementCount == expected.reduce(1, *) && !keep else {
        throw c.fail("output has shape \(c.tensor(out).shape), expected \(expected)")
    }
    var p = PreparedOp(kind: .reduceMax, index: c.index, inputs: [x], output: out)
    p.outer = xs[..<a].reduce(1, *); p.axis = xs[a]; p.inner = xs[(a + 1)...].reduce(1, *)
    p.offset = offset
    return p
}

func prepareSoftmax(_ c: OpContext, log: Bool = false) throws(RuntimeError) -> PreparedOp {
    guard case .softmax(let axis) = c.op.options else { throw c.fail("options are not SoftmaxOptions") }
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.float32)
    let xs = c.tensor(x).shape
    guard let a = normalizedAxis(axis, rank: xs.count) else { throw c.fail("axis \(axis) is outside rank \(xs.count)") }
    try c.expectShape(out, xs, "output")
    var p = PreparedOp(kind: log ? .logSoftmax : .softmax, index: c.index, inputs: [x], output: out)
    p.outer = xs[..<a].reduce(1, *); p.axis = xs[a]; p.inner = xs[(a + 1)...].reduce(1, *)
    return p
}
