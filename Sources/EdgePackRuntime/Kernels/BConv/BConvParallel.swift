// bconv2d and bconv2dPacked across the worker pool: each part takes a block of output pixels
// (multiples of 8, the output transform's vector width) through gather, GEMM, padding correction
// and output transform, writing only its own rows of the scratch and of the output.

/// Blocks of output pixels start on multiples of this.
let bconvPixelAlign = 8

struct BConvWork: ParallelWork {
    var input, weights: UnsafePointer<UInt64>
    var words: Int
    var g: ConvGeometry
    var plan: BConvPlan
    var output: BConvOutput
    var cols: UnsafeMutablePointer<UInt64>
    var counts: UnsafeMutablePointer<Int32>
    var parts: Int

    static var entry: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void {
        { $0.unsafelyUnwrapped.assumingMemoryBound(to: Self.self).pointee.part($1) }
    }

    func part(_ index: Int) {
        bconv2dPixels(input, weights, words: words, g, plan, output,
                      pixels: partRange(index, of: parts, count: g.outSpatial, align: bconvPixelAlign), cols: cols, counts: counts)
    }
}

/// bconv2d or bconv2dPacked on `pool`'s threads (one thread when the layer is small).
func bconv2d(_ input: UnsafePointer<UInt64>, _ weights: UnsafePointer<UInt64>, words: Int,
             _ g: ConvGeometry, _ plan: BConvPlan, _ output: BConvOutput,
             cols: UnsafeMutablePointer<UInt64>, counts: UnsafeMutablePointer<Int32>, pool: WorkerPool) {
    // Per pixel: the words xor-ed, plus the transform, for every channel and image.
    let cost = g.batch * g.outChannels * (g.taps * words + 4)
    let parts = pool.parts(count: g.outSpatial, align: bconvPixelAlign, cost: cost)
    pool.run(BConvWork(input: input, weights: weights, words: words, g: g, plan: plan, output: output,
                       cols: cols, counts: counts, parts: parts), parts: parts)
}
