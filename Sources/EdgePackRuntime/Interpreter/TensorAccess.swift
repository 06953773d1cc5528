import EdgePackFormat

// How kernels reach tensors. Inputs are read-only pointers: constants point into the mapped
// file, which is never written. Outputs and scratch are the only writable memory, in the arena.

extension Interpreter {
    @inline(__always) func readRaw(_ t: Int) -> UnsafeRawPointer {
        model.tensors[t].isConstant ? model.constantData(t).baseAddress! : UnsafeRawPointer(arena + tensorOffsets[t])
    }
    @inline(__always) func read(_ t: Int) -> UnsafePointer<Float> { readRaw(t).assumingMemoryBound(to: Float.self) }
    @inline(__always) func readWords(_ t: Int) -> UnsafePointer<UInt64> { readRaw(t).assumingMemoryBound(to: UInt64.self) }
    @inline(__always) func readOptional(_ t: Int) -> UnsafePointer<Float>? { t >= 0 ? read(t) : nil }

    /// An activation's memory; the verifier guarantees no operator writes a constant.
    @inline(__always) func write(_ t: Int) -> UnsafeMutablePointer<Float> {
        (arena + tensorOffsets[t]).assumingMemoryBound(to: Float.self)
    }
    @inline(__always) func writeWords(_ t: Int) -> UnsafeMutablePointer<UInt64> {
        (arena + tensorOffsets[t]).assumingMemoryBound(to: UInt64.self)
    }
    @inline(__always) func scratch<T>(_ op: PreparedOp, _ slot: Int, as: T.Type) -> UnsafeMutablePointer<T> {
        (arena + op.scratchOffsets[slot]).assumingMemoryBound(to: T.self)
    }

    /// A binary layer's output transform: scale and bias at inputs 2 and 3, a PReLU slope at 4.
    @inline(__always) func transform(_ op: PreparedOp, _ activation: FusedActivation) -> OutputTransform {
        OutputTransform(scale: read(op.inputs[2]), bias: read(op.inputs[3]), activation: self.activation(op, activation, slopeInput: 4))
    }

    /// A fused activation with its PReLU slope at input `slopeInput` (3 for float conv/gemm).
    @inline(__always) func activation(_ op: PreparedOp, _ a: FusedActivation, slopeInput: Int = 3) -> ChannelActivation {
        guard a.kind == .prelu && op.inputs.count > slopeInput else { return ChannelActivation(a) }
        let slope = op.inputs[slopeInput]
        return ChannelActivation(a, slope: read(slope), slopeCount: model.tensors[slope].elementCount)
    }
}
