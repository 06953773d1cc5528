import EdgePackFormat

public struct SignPackOptions: OperatorOptions {
    public static var tableType: UInt8 { 5 }
    public static var whenAbsent: SignPackOptions? { SignPackOptions() }
    public var channelsLast: Bool
    /// Bit set (-1) when x < threshold.
    public var threshold: Float

    public init(channelsLast: Bool = false, threshold: Float = 0) { self.channelsLast = channelsLast; self.threshold = threshold }
    public init(decoding t: OptionsTable) throws(ModelError) {
        channelsLast = try t.bool(0, false)
        threshold = try t.finite(1, 0, "threshold")
    }
    public var fields: [OptionField?] { [.bool(channelsLast), .f32(threshold)] }
}

/// Sign + bit-pack. channels_last: [N, C, spatial...] float -> [N, spatial..., C] bits;
/// otherwise packs the last axis in place of shape. An optional second output, of the same
/// shape, is the zero mask: bit set where x == threshold, where ONNX's Sign gives 0 (the binary
/// layers reading it drop those terms from their dot products).
struct SignPackOp {
    enum Layout { case rows(rows: Int, length: Int), channelsLast(batch: Int, channels: Int, spatial: Int) }
    var layout: Layout
    var threshold: Float

    static func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        let o = try c.options(SignPackOptions.self)
        let x = try c.input(0, .float32, "input")
        let out = try c.output(.bit, allowed: 2)
        let zeros = try c.op.outputs.count == 2 ? c.outputTensor(1, .bit) : -1
        let xs = c.tensor(x).shape
        let layout: Layout
        if o.channelsLast {
            guard xs.count >= 3 else { throw c.fail("channels-last packing needs [N, C, spatial...], has \(xs)") }
            var expected = [xs[0]]
            expected.append(contentsOf: xs[2...])
            expected.append(xs[1])
            try c.expectShape(out, expected, "output")
            layout = .channelsLast(batch: xs[0], channels: xs[1], spatial: xs[2...].reduce(1, *))
        } else {
            guard let k = xs.last else { throw c.fail("input is a scalar") }
            try c.expectShape(out, xs, "output")
            layout = .rows(rows: c.tensor(x).elementCount / k, length: k)
        }
        if zeros >= 0 { try c.expectShape(zeros, c.tensor(out).shape, "zero mask") }
        var prepared = PreparedOp(c, inputs: [x], output: out, kernel: .signPack(SignPackOp(layout: layout, threshold: o.threshold)))
        prepared.zeroMaskOutput = zeros
        return prepared
    }

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        switch layout {
        case .rows(let rows, let length):
            signPackRows(op.read(0), rows: rows, length: length, threshold: threshold, op.writeWords(), zeros: op.writeZeroMask())
        case .channelsLast(let batch, let channels, let spatial):
            signPackChannelsLast(op.read(0), batch: batch, channels: channels, spatial: spatial,
                                 threshold: threshold, op.writeWords(), zeros: op.writeZeroMask())
        }
    }
}
