import EdgePackFormat

/// One operator ready to run: its tensors, its kernel with that kernel's own arguments, and the
/// memory it asked for. Plain data, made by the Ops/ prepare functions before anything runs.
struct PreparedOp {
    var index: Int
    var inputs: [Int]
    var output: Int
    /// SignPack's optional second output, the exact-zero mask (-1: none).
    var zeroMaskOutput = -1
    var kernel: OpKernel
    /// Scratch requests (bytes), one arena slot each; their offsets after planning.
    var scratchSizes: [Int] = []
    var scratchOffsets: [Int] = []
    /// Float weights rearranged once at load (PackedWeights.swift); nil when the kernel reads
    /// its weights as stored.
    var weights: WeightPlan? = nil
    /// Byte offset of those weights in the interpreter's weight buffer.
    var weightOffset = -1

    // Addresses resolved once, after planning (Interpreter.resolve), so that running an operator
    // looks up nothing: each input (nil for an absent optional one), the output, scratch slots
    // and prepared weights.
    var inputAddresses: [UnsafeRawPointer?] = []
    var outputAddress: UnsafeMutableRawPointer? = nil
    var zeroMaskAddress: UnsafeMutableRawPointer? = nil
    var scratchAddresses: [UnsafeMutableRawPointer] = []
    var weightAddress: UnsafeRawPointer? = nil

    init(_ c: OpContext, inputs: [Int], output: Int, kernel: OpKernel) {
        self.index = c.index; self.inputs = inputs; self.output = output; self.kernel = kernel
    }

    @inline(__always) func read(_ i: Int) -> UnsafePointer<Float> {
        inputAddresses[i].unsafelyUnwrapped.assumingMemoryBound(to: Float.self)
    }
    @inline(__always) func readWords(_ i: Int) -> UnsafePointer<UInt64> {
        inputAddresses[i].unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
    }
    @inline(__always) func readOptional(_ i: Int) -> UnsafePointer<Float>? {
        inputAddresses[i]?.assumingMemoryBound(to: Float.self)
    }
    @inline(__always) func write() -> UnsafeMutablePointer<Float> {
        outputAddress.unsafelyUnwrapped.assumingMemoryBound(to: Float.self)
    }
    @inline(__always) func writeWords() -> UnsafeMutablePointer<UInt64> {
        outputAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
    }
    /// The zero mask SignPack writes beside its bits, when it has one.
    @inline(__always) func writeZeroMask() -> UnsafeMutablePointer<UInt64>? {
        zeroMaskAddress?.assumingMemoryBound(to: UInt64.self)
    }
    @inline(__always) func readOptionalWords(_ i: Int) -> UnsafePointer<UInt64>? {
        i < inputAddresses.count ? inputAddresses[i]?.assumingMemoryBound(to: UInt64.self) : nil
    }
    @inline(__always) func scratch<T>(_ slot: Int, as: T.Type) -> UnsafeMutablePointer<T> {
        scratchAddresses[slot].assumingMemoryBound(to: T.self)
    }
    /// The weights as the kernel takes them: prepared at load, or the constant as stored.
    @inline(__always) func preparedWeights() -> UnsafePointer<Float> {
        (weightAddress ?? inputAddresses[1].unsafelyUnwrapped).assumingMemoryBound(to: Float.self)
    }
}
