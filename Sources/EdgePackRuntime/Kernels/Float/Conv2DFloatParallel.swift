// conv2dFloat and its activation across the worker pool: each part takes a block of output
// pixels (whole GEMM panels) through im2col, GEMM and activation.

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
        conv2dFloatPixels(input, preparedWeights: weights, bias, g, pixels: pixels, cols: cols, output)
        if activation.isIdentity { return }
        for plane in 0..<(g.batch * g.outChannels) {
            activation.applyRow(output + plane * g.outSpatial, pixels, channel: plane % g.outChannels)
        }
    }
}

/// conv2dFloat followed by `activation`, on `pool`'s threads (one thread when the layer is small).
func conv2dFloat(_ input: UnsafePointer<Float>, preparedWeights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                 _ g: ConvGeometry, _ activation: ChannelActivation, cols: UnsafeMutablePointer<Float>,
                 _ output: UnsafeMutablePointer<Float>, pool: WorkerPool) {
    let cost = g.batch * g.outChannels * g.inChannels / g.groups * g.taps
    let parts = pool.parts(count: g.outSpatial, align: gemmPanel, cost: cost)
    pool.run(ConvFloatWork(input: input, weights: preparedWeights, bias: bias, g: g, activation: activation,
                           cols: cols, output: output, parts: parts), parts: parts)
}
