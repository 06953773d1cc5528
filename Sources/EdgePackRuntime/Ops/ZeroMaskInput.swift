import EdgePackFormat

// A binary layer's optional input 7: the zero mask its input's SignPack wrote (bit set where
// ONNX's Sign gave 0). With it the layer drops those terms from its dot products, but only when
// the mask holds a zero at run time (BConvZeros.swift, BinaryDenseZeros.swift).

/// Input slot of the zero mask in BinaryConv2D/1D and BinaryGemm.
let zeroMaskSlot = 7

extension OpContext {
    /// The zero mask at input 7 (nil when absent): BIT, shaped as the packed input `x`, computed.
    func zeroMaskInput(x: Int) throws(RuntimeError) -> Int? {
        guard let z = try optionalInput(zeroMaskSlot, .bit, "zero mask") else { return nil }
        guard !tensor(z).isConstant else { throw fail("zero mask '\(tensor(z).name)' must be computed, not a constant") }
        try expectShape(z, tensor(x).shape, "zero mask")
        return z
    }
}

/// `inputs` padded with -1 up to the zero-mask slot, then the mask; unchanged without one.
func withZeroMask(_ inputs: [Int], _ zeros: Int?) -> [Int] {
    guard let zeros else { return inputs }
    return inputs + [Int](repeating: -1, count: max(0, zeroMaskSlot - inputs.count)) + [zeros]
}

extension PreparedOp {
    /// The zero mask when the layer has one and it holds a zero in this run.
    @inline(__always) func zerosPresent(words count: Int) -> UnsafePointer<UInt64>? {
        guard let zeros = readOptionalWords(zeroMaskSlot), anyBitSet(zeros, count: count) else { return nil }
        return zeros
    }

    /// The zero correction's five scratch buffers, from slot `first`.
    func zeroScratch(from first: Int) -> ZeroScratch {
        ZeroScratch(rows: scratch(first, as: UInt64.self), counts: scratch(first + 1, as: Int32.self),
                    index: scratch(first + 2, as: Int32.self), zeroCounts: scratch(first + 3, as: Int32.self),
                    validK: scratch(first + 4, as: Int32.self))
    }
}
