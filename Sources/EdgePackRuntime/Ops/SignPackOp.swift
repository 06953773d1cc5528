import EdgePackFormat

/// Sign + bit-pack. channels_last: [N, C, spatial...] float -> [N, spatial..., C] bits;
/// otherwise packs the last axis in place of shape. In the float-reference mode the output is
/// kept as float ±1 in the input's layout, for the float kernels to consume.
func prepareSignPack(_ c: OpContext, mode: ExecutionMode) throws(RuntimeError) -> PreparedOp {
    guard case .signPack(let channelsLast, let threshold) = c.op.options else { throw c.fail("options are not SignPackOptions") }
    let x = try c.input(0, .float32, "input")
    let out = try c.output(.bit)
    let xs = c.tensor(x).shape
    var prepared = PreparedOp(kind: channelsLast ? .signPackChannelsLast : .signPackRows, index: c.index, inputs: [x], output: out)
    prepared.threshold = threshold
    if channelsLast {
        guard xs.count >= 3 else { throw c.fail("channels-last packing needs [N, C, spatial...], has \(xs)") }
        var expected = [xs[0]]
        expected.append(contentsOf: xs[2...])
        expected.append(xs[1])
        try c.expectShape(out, expected, "output")
        prepared.geometry.batch = xs[0]
        prepared.geometry.inChannels = xs[1]
        prepared.count = xs[2...].reduce(1, *)
    } else {
        guard let k = xs.last else { throw c.fail("input is a scalar") }
        try c.expectShape(out, xs, "output")
        prepared.k = k
        prepared.rows = c.tensor(x).elementCount / k
    }
    if mode == .floatReference { prepared.kind = .signEmulated; prepared.count = c.tensor(x).elementCount }
    return prepared
}
