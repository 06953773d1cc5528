import EdgePackFormat

// Constant weights are rearranged once, when the interpreter is prepared, into the layouts the
// float kernels multiply by: 8-wide panels for the packed GEMM (float convolutions and dense
// layers), transposed matrices for a MatMul by a constant; in the float-reference mode also the
// ±1 float copies of binary weights. One allocation for the whole model, kept for the
// interpreter's life: persistent memory beside the arena, reported on its own.

extension Interpreter {
    /// Gives each operator with prepared weights its 64-byte-aligned offset in one buffer,
    /// allocates it and fills it. Returns the buffer (nil when nothing is packed) and its bytes.
    static func packWeights(_ ops: inout [PreparedOp], model: ModelFile) throws(RuntimeError) -> (UnsafeMutableRawPointer?, Int) {
        var bytes = 0
        for k in ops.indices where ops[k].packedWeightCount > 0 {
            let (size, o1) = ops[k].packedWeightCount.multipliedReportingOverflow(by: 4)
            let (end, o2) = bytes.addingReportingOverflow(size)
            guard !o1, !o2, end <= Interpreter.arenaLimit else {
                throw RuntimeError("packed float weights exceed the \(Interpreter.arenaLimit)-byte limit at operator \(ops[k].index)")
            }
            ops[k].packedWeightOffset = bytes
            bytes = (end + arenaAlignment - 1) / arenaAlignment * arenaAlignment
        }
        guard bytes > 0 else { return (nil, 0) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: arenaAlignment)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        for k in ops.indices where ops[k].packedWeightCount > 0 {
            ops[k].packWeights(model, (buffer + ops[k].packedWeightOffset).assumingMemoryBound(to: Float.self))
            ops[k].emulatedWeights = []
        }
        return (buffer, bytes)
    }

    /// An operator's weights as its kernel takes them: prepared in the packed-weight buffer,
    /// or the constant tensor as stored.
    @inline(__always) func preparedWeights(_ op: PreparedOp) -> UnsafePointer<Float> {
        guard op.packedWeightOffset >= 0, let packedWeights else { return UnsafePointer(floats(op.inputs[1])) }
        return UnsafePointer((packedWeights + op.packedWeightOffset).assumingMemoryBound(to: Float.self))
    }
}

extension PreparedOp {
    /// Writes this operator's packedWeightCount floats of prepared weights to `dst`, from its
    /// constant weight (input 1) or its emulated weights.
    func packWeights(_ model: ModelFile, _ dst: UnsafeMutablePointer<Float>) {
        emulatedWeights.withUnsafeBufferPointer { emulated in
            let w = emulated.isEmpty ? model.constantData(inputs[1]).baseAddress!.assumingMemoryBound(to: Float.self) : emulated.baseAddress!
            switch kind {
            case .convFloat, .bconvEmulated:
                if conv2dFloatPackedWeightCount(geometry) > 0 { packConv2dFloatWeights(w, geometry, dst); return }
            case .gemmFloat, .bgemmEmulated:
                if densePackedWeightCount(rows: rows, n: count, k: k) > 0 { packDenseWeights(w, n: count, k: k, dst); return }
            case .matmul:
                transposeMatMulB(w, count: packedWeightCount / (k * count), k: k, n: count, dst); return
            default: break
            }
            // Emulated weights that the dot-form or depthwise kernel reads as they are.
            dst.update(from: w, count: packedWeightCount)
        }
    }
}
