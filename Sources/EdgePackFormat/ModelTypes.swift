// Plain descriptions of what a verified model file holds (the schema's tables, decoded once at
// load). Constant data is not copied: tensors refer to byte ranges of the mapped file.

public enum DType: Int8 {
    case float32 = 0, int32 = 1, int8 = 2, bit = 3

    public var name: String {
        switch self {
        case .float32: return "float32"
        case .int32: return "int32"
        case .int8: return "int8"
        case .bit: return "bit"
        }
    }
}

/// Storage of a BIT tensor; v1 files use 64-bit LSB-first words, 1 = -1.
public struct BitPacking: Equatable {
    public var axis: Int
    public var wordBits: Int
    public var msbFirst: Bool
    public var oneIsNegative: Bool
    public init(axis: Int, wordBits: Int = 64, msbFirst: Bool = false, oneIsNegative: Bool = true) {
        self.axis = axis; self.wordBits = wordBits; self.msbFirst = msbFirst; self.oneIsNegative = oneIsNegative
    }
}

public struct TensorDesc {
    public var name: String
    public var dtype: DType
    public var shape: [Int]
    /// Index into the model's buffers, -1 for activations.
    public var buffer: Int
    public var packing: BitPacking?
    /// Bytes the tensor occupies (packed size for BIT tensors).
    public var byteCount: Int
    public var elementCount: Int
    public var isConstant: Bool { buffer >= 0 }
}

public enum Activation: Int8 {
    case none = 0, relu = 1, clip = 2, prelu = 3
}

/// A fused activation with its parameters (PReLU's slope is an operator input).
public struct FusedActivation: Equatable {
    public var kind: Activation
    public var clipMin: Float
    public var clipMax: Float
    public init(kind: Activation = .none, clipMin: Float = 0, clipMax: Float = 0) {
        self.kind = kind; self.clipMin = clipMin; self.clipMax = clipMax
    }
}

public struct ConvParams: Equatable {
    public var strideH = 1, strideW = 1
    public var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    public var dilationH = 1, dilationW = 1
    public var groups = 1
    public var activation = FusedActivation()
    public init() {}
}

public enum PoolKind: Int8 { case max = 0, average = 1 }

public struct PoolParams: Equatable {
    public var kind: PoolKind = .max
    public var global = false
    public var kernelH = 1, kernelW = 1
    public var strideH = 1, strideW = 1
    public var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    public var countIncludePad = false
    public init() {}
}

/// One operator as stored: its opcode (the schema's OpCode value; the runtime's operator table
/// gives it meaning) and its options table, which the operator decodes itself.
public struct OperatorDesc {
    public var code: UInt16
    /// Tensor indices; -1 marks an absent optional input.
    public var inputs: [Int]
    public var outputs: [Int]
    /// The schema's OpOptions union type (0 = none) and the table, verified to lie in the file.
    public var optionsType: UInt8
    public var options: OptionsTable?
    public var name: String
    public init(code: UInt16, inputs: [Int], outputs: [Int], optionsType: UInt8, options: OptionsTable?, name: String) {
        self.code = code; self.inputs = inputs; self.outputs = outputs
        self.optionsType = optionsType; self.options = options; self.name = name
    }
}

public struct ModelMetadata {
    public var name = ""
    public var producer = ""
    public var description = ""
    public var source = ""
    public init() {}
}

public struct BufferDesc {
    public var offset: Int
    public var size: Int
}
