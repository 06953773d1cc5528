import EdgePackFormat

/// One operator ready to run: its tensors, its kernel with that kernel's own arguments, and the
/// memory it asked for. Plain data, made by the Ops/ prepare functions before anything runs.
struct PreparedOp {
    var index: Int
    var inputs: [Int]
    var output: Int
    var kernel: OpKernel
    /// Scratch requests (bytes), one arena slot each; their offsets after planning.
    var scratchSizes: [Int] = []
    var scratchOffsets: [Int] = []
    /// Float weights rearranged once at load (PackedWeights.swift); nil when the kernel reads
    /// its weights as stored.
    var weights: WeightPlan? = nil
    /// Byte offset of those weights in the interpreter's weight buffer.
    var weightOffset = -1

    init(_ c: OpContext, inputs: [Int], output: Int, kernel: OpKernel) {
        self.index = c.index; self.inputs = inputs; self.output = output; self.kernel = kernel
    }
}
