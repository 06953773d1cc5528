import EdgePackFormat

// Constant weights are rearranged once, when the interpreter is prepared, into the layouts the
// float kernels multiply by: 8-wide panels for the packed GEMM (float convolutions and dense
// layers), transposed matrices for a MatMul by a constant; in the float-reference mode also the
// ±1 float copies of binary weights. One allocation for the whole model, kept for the
// interpreter's life: persistent memory beside the arena, reported on its own.

/// The layout a kernel wants its float weights in.
enum WeightLayout {
    case convPanels(ConvGeometry)
    case densePanels(n: Int, k: Int)
    case transposedB(k: Int, n: Int)
    /// Copied as they are (float-reference weights that a kernel reads unpacked).
    case asStored
}

/// Weights to prepare for one operator: `count` floats in `layout`, from the operator's
/// constant weight (input 1) or from `unpacked` (±1 floats of binary weights).
struct WeightPlan {
    var layout: WeightLayout
    var count: Int
    var unpacked: [Float] = []
}

extension Interpreter {
    /// Gives each operator with prepared weights its 64-byte-aligned offset in one buffer,
    /// allocates it and fills it. Returns the buffer (nil when nothing is packed) and its bytes.
    static func packWeights(_ ops: inout [PreparedOp], model: ModelFile) throws(RuntimeError) -> (UnsafeMutableRawPointer?, Int) {
        var bytes = 0
        for k in ops.indices {
            guard let plan = ops[k].weights else { continue }
            let (size, o1) = plan.count.multipliedReportingOverflow(by: 4)
            let (end, o2) = bytes.addingReportingOverflow(size)
            guard !o1, !o2, end <= Interpreter.arenaLimit else {
                throw RuntimeError("packed float weights exceed the \(Interpreter.arenaLimit)-byte limit at operator \(ops[k].index)")
            }
            ops[k].weightOffset = bytes
            bytes = (end + arenaAlignment - 1) / arenaAlignment * arenaAlignment
        }
        guard bytes > 0 else { return (nil, 0) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: arenaAlignment)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        for k in ops.indices {
            guard let plan = ops[k].weights else { continue }
            let dst = (buffer + ops[k].weightOffset).assumingMemoryBound(to: Float.self)
            if plan.unpacked.isEmpty {
                let w = model.constantData(ops[k].inputs[1]).baseAddress!.assumingMemoryBound(to: Float.self)
                fill(dst, plan, from: w)
            } else {
                plan.unpacked.withUnsafeBufferPointer { fill(dst, plan, from: $0.baseAddress!) }
            }
            ops[k].weights?.unpacked = []
        }
        return (buffer, bytes)
    }

    static func fill(_ dst: UnsafeMutablePointer<Float>, _ plan: WeightPlan, from w: UnsafePointer<Float>) {
        switch plan.layout {
        case .convPanels(let g): packConv2dFloatWeights(w, g, dst)
        case .densePanels(let n, let k): packDenseWeights(w, n: n, k: k, dst)
        case .transposedB(let k, let n): transposeMatMulB(w, count: plan.count / (k * n), k: k, n: n, dst)
        case .asStored: dst.update(from: w, count: plan.count)
        }
    }
}

/// Float conv weights: panels when the packed GEMM will use them, else read as stored.
func convWeightPlan(_ g: ConvGeometry, unpacked: [Float] = []) -> WeightPlan? {
    let panels = conv2dFloatPackedWeightCount(g)
    if panels > 0 { return WeightPlan(layout: .convPanels(g), count: panels, unpacked: unpacked) }
    return unpacked.isEmpty ? nil : WeightPlan(layout: .asStored, count: unpacked.count, unpacked: unpacked)
}

/// Dense weights [n, k]: panels when the packed GEMM will use them, else read as stored.
func denseWeightPlan(rows: Int, n: Int, k: Int, unpacked: [Float] = []) -> WeightPlan? {
    let panels = densePackedWeightCount(rows: rows, n: n, k: k)
    if panels > 0 { return WeightPlan(layout: .densePanels(n: n, k: k), count: panels, unpacked: unpacked) }
    return unpacked.isEmpty ? nil : WeightPlan(layout: .asStored, count: unpacked.count, unpacked: unpacked)
}
