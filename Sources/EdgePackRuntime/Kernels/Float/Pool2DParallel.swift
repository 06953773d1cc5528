import EdgePackFormat

// pool2d across the worker pool: each part pools a block of whole planes.

struct PoolWork: ParallelWork {
    var x: UnsafePointer<Float>
    var y: UnsafeMutablePointer<Float>
    var planes, inH, inW, outH, outW: Int
    var params: PoolParams
    var parts: Int

    static var entry: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void {
        { $0.unsafelyUnwrapped.assumingMemoryBound(to: Self.self).pointee.part($1) }
    }

    func part(_ index: Int) {
        let block = partRange(index, of: parts, count: planes, align: 1)
        pool2d(x + block.lowerBound * inH * inW, planes: block.count, inH: inH, inW: inW, outH: outH, outW: outW,
               params, y + block.lowerBound * outH * outW)
    }
}

/// pool2d on `pool`'s threads (one thread when the layer is small).
func pool2d(_ x: UnsafePointer<Float>, planes: Int, inH: Int, inW: Int, outH: Int, outW: Int,
            _ p: PoolParams, _ y: UnsafeMutablePointer<Float>, pool: WorkerPool) {
    let parts = pool.parts(count: planes, align: 1, cost: outH * outW * p.kernelH * p.kernelW)
    pool.run(PoolWork(x: x, y: y, planes: planes, inH: inH, inW: inW, outH: outH, outW: outW, params: p, parts: parts),
             parts: parts)
}
