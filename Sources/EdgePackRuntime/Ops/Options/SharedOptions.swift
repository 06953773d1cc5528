import EdgePackFormat

// Option pieces several operators share: the fused activation (Gemm, BinaryGemm, Add and inside
// ConvOptions) and the convolution window (Conv, BinaryConv).

/// Largest stride, dilation, group count or padding a file may ask for.
let windowLimit = 1 << 16

extension FusedActivation {
    /// The activation enum at `kindSlot`, its clip bounds at the next two slots (when `withClip`).
    init(decoding t: OptionsTable, kindSlot: Int, withClip: Bool = true) throws(ModelError) {
        let raw = try t.i8(kindSlot, 0)
        guard let kind = Activation(rawValue: raw) else { throw ModelError("\(t.path).activation: unknown value \(raw)") }
        self.init(kind: kind)
        if withClip {
            clipMin = try t.bound(kindSlot + 1, 0, "clip_min", upper: false)
            clipMax = try t.bound(kindSlot + 2, 0, "clip_max", upper: true)
        }
        guard kind != .clip || clipMin <= clipMax else {
            throw ModelError("\(t.path): clip range \(clipMin)...\(clipMax) is empty")
        }
    }

    func fields(withClip: Bool = true) -> [OptionField?] {
        withClip ? [.i8(kind.rawValue), .f32(clipMin), .f32(clipMax)] : [.i8(kind.rawValue)]
    }
}

/// Options with only a fused activation: Gemm and BinaryGemm tables.
public struct GemmOptions: OperatorOptions {
    public static var tableType: UInt8 { 3 }
    public static var whenAbsent: GemmOptions? { GemmOptions() }
    public var activation: FusedActivation
    public init(activation: FusedActivation = FusedActivation()) { self.activation = activation }
    public init(decoding t: OptionsTable) throws(ModelError) { activation = try FusedActivation(decoding: t, kindSlot: 0) }
    public var fields: [OptionField?] { activation.fields() }
}

public struct BinaryGemmOptions: OperatorOptions {
    public static var tableType: UInt8 { 4 }
    public static var whenAbsent: BinaryGemmOptions? { BinaryGemmOptions() }
    public var activation: FusedActivation
    public var bitpacked: BitpackedOutput?
    /// Slot of bitpacked_output (output_threshold follows).
    public static let bitpackedSlot = 3
    public init(activation: FusedActivation = FusedActivation(), bitpacked: BitpackedOutput? = nil) {
        self.activation = activation; self.bitpacked = bitpacked
    }
    public init(decoding t: OptionsTable) throws(ModelError) {
        activation = try FusedActivation(decoding: t, kindSlot: 0)
        bitpacked = try BitpackedOutput(decoding: t, slot: Self.bitpackedSlot)
    }
    public var fields: [OptionField?] { activation.fields() + bitpacked.fields() }
}

/// ConvOptions: the window of Conv1D/Conv2D and of the binary convolutions.
extension ConvParams: OperatorOptions {
    public static var tableType: UInt8 { 1 }
    public static var whenAbsent: ConvParams? { nil }

    public init(decoding t: OptionsTable) throws(ModelError) {
        self.init()
        strideH = try t.int(0, 1, "stride_h", in: 1...windowLimit); strideW = try t.int(1, 1, "stride_w", in: 1...windowLimit)
        padTop = try t.int(2, 0, "pad_top", in: 0...windowLimit); padLeft = try t.int(3, 0, "pad_left", in: 0...windowLimit)
        padBottom = try t.int(4, 0, "pad_bottom", in: 0...windowLimit); padRight = try t.int(5, 0, "pad_right", in: 0...windowLimit)
        dilationH = try t.int(6, 1, "dilation_h", in: 1...windowLimit); dilationW = try t.int(7, 1, "dilation_w", in: 1...windowLimit)
        groups = try t.int(8, 1, "groups", in: 1...windowLimit)
        activation = try FusedActivation(decoding: t, kindSlot: 9)
    }

    public var fields: [OptionField?] {
        [.i32(Int32(strideH)), .i32(Int32(strideW)), .i32(Int32(padTop)), .i32(Int32(padLeft)),
         .i32(Int32(padBottom)), .i32(Int32(padRight)), .i32(Int32(dilationH)), .i32(Int32(dilationW)),
         .i32(Int32(groups))] + activation.fields()
    }
}
