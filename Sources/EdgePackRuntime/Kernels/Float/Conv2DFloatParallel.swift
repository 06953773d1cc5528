// conv2dFloat and its activation across the worker pool: each part takes a range of output
// pixels (whole GEMM panels) through im2col, GEMM and activation, in blocks, with a block's
// scratch of its own (`conv2dFloatPartBytes`).

struct ConvFloatWork: ParallelWork {
    var input, weights: UnsafePointer<Float>
    var bias: UnsafePointer<Float>?
    var g: ConvGeometry
    var activation: ChannelActivation
    var cols, output: UnsafeMutablePointer<Float>
    var parts: Int

    static var entry: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void {
        { $0.unsafelyUnwrapped.assumingMemoryBound(to: Self.self).pointee.part($1) }
    }

    func part(_ index: Int) {
        let pixels = partRange(index, of: parts, count: g.outSpatial, align: gemmPanel)
        let slice = cols + index * (conv2dFloatBlockBytes(g) / 4)
        conv2dFloatBlocks(input, preparedWeights: weights, bias, g, pixels: pixels, cols: slice, output)
        if activation.isIdentity { return }
        for plane in 0..<(g.batch * g.outChannels) {
            activation.applyRow(output + plane * g.outSpatial, pixels, channel: plane % g.outChannels)
        }
    }
}

/// The parts conv2dFloat is split into on `pool` (one when the layer is small).
func conv2dFloatParts(_ g: ConvGeometry, _ pool: WorkerPool) -> Int {
    pool.parts(count: g.outSpatial, align: gemmPanel, cost: g.batch * g.outChannels * g.inChannels / g.groups * g.taps)
}

/// Scratch of conv2dFloat on `pool`: a block's columns for each part.
func conv2dFloatPartBytes(_ g: ConvGeometry, _ pool: WorkerPool) -> Int {
    conv2dFloatParts(g, pool) * conv2dFloatBlockBytes(g)
}

/// conv2dFloat followed by `activation`, on `pool`'s threads (one thread when the layer is small);
/// `cols`: conv2dFloatPartBytes(g, pool) of scratch.
func conv2dFloat(_ input: UnsafePointer<Float>, preparedWeights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                 _ g: ConvGeometry, _ activation: ChannelActivation, cols: UnsafeMutablePointer<Float>,
                 _ output: UnsafeMutablePointer<Float>, pool: WorkerPool) {
    let parts = conv2dFloatParts(g, pool)
    pool.run(ConvFloatWork(input: input, weights: preparedWeights, bias: bias, g: g, activation: activation,
                           cols: cols, output: output, parts: parts), parts: parts)
}
