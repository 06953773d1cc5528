import EdgePackFormat

/// The bit-packed-output fields of BinaryConvOptions and BinaryGemmOptions: set when the
/// converter folded the sign that alone consumed the layer's float result into the layer.
public struct BitpackedOutput: Equatable {
    /// Bit set (-1) where the float chain is below it (SignPack's threshold).
    public var threshold: Float

    public init(threshold: Float = 0) { self.threshold = threshold }

    /// The two fields at `slot` and `slot + 1`; nil when bitpacked_output is false.
    init?(decoding t: OptionsTable, slot: Int) throws(ModelError) {
        guard try t.bool(slot, false) else { return nil }
        threshold = try t.finite(slot + 1, 0, "output_threshold")
    }
}

extension Optional where Wrapped == BitpackedOutput {
    /// The two fields as written (none when absent).
    public func fields() -> [OptionField?] {
        guard let self else { return [] }
        return [.bool(true), .f32(self.threshold)]
    }
}
