import EdgePackFormat

// How tensors are reached: inputs are read-only pointers (constants point into the mapped file,
// which is never written); outputs and scratch, in the arena, are the only writable memory.
// Operators use the addresses resolved into PreparedOp; these serve graph I/O and resolving.

extension Interpreter {
    @inline(__always) func readRaw(_ t: Int) -> UnsafeRawPointer {
        tensorAddress(t, model: model, arena: arena, tensorOffsets: tensorOffsets)
    }
    @inline(__always) func read(_ t: Int) -> UnsafePointer<Float> { readRaw(t).assumingMemoryBound(to: Float.self) }

    /// An activation's memory; the verifier guarantees no operator writes a constant.
    @inline(__always) func write(_ t: Int) -> UnsafeMutablePointer<Float> {
        (arena + tensorOffsets[t]).assumingMemoryBound(to: Float.self)
    }

    /// A binary layer's output transform: scale and bias at inputs 2 and 3, a PReLU slope at 4.
    @inline(__always) func transform(_ op: PreparedOp, _ activation: FusedActivation) -> OutputTransform {
        OutputTransform(scale: op.read(2), bias: op.read(3), activation: self.activation(op, activation, slopeInput: 4))
    }

    /// A fused activation with its PReLU slope at input `slopeInput` (3 for float conv/gemm).
    @inline(__always) func activation(_ op: PreparedOp, _ a: FusedActivation, slopeInput: Int = 3) -> ChannelActivation {
        guard a.kind == .prelu && op.inputs.count > slopeInput else { return ChannelActivation(a) }
        let slope = op.inputs[slopeInput]
        return ChannelActivation(a, slope: op.read(slopeInput), slopeCount: model.tensors[slope].elementCount)
    }
}

extension Interpreter {
    /// Fills each operator's addresses once the arena and the weight buffer exist.
    static func resolve(_ op: inout PreparedOp, arena: UnsafeMutableRawPointer, tensorOffsets: [Int], model: ModelFile,
                        packedWeights: UnsafeMutableRawPointer?) {
        op.inputAddresses = op.inputs.map { $0 >= 0 ? tensorAddress($0, model: model, arena: arena, tensorOffsets: tensorOffsets) : nil }
        op.outputAddress = arena + tensorOffsets[op.output]
        if op.zeroMaskOutput >= 0 { op.zeroMaskAddress = arena + tensorOffsets[op.zeroMaskOutput] }
        op.scratchAddresses = op.scratchOffsets.map { arena + $0 }
        if op.weightOffset >= 0, let packedWeights { op.weightAddress = UnsafeRawPointer(packedWeights + op.weightOffset) }
    }
}

/// Where tensor `t` lives: in the mapped file for a constant, in the arena otherwise.
func tensorAddress(_ t: Int, model: ModelFile, arena: UnsafeMutableRawPointer, tensorOffsets: [Int]) -> UnsafeRawPointer {
    model.tensors[t].isConstant ? model.constantData(t).baseAddress! : UnsafeRawPointer(arena + tensorOffsets[t])
}
