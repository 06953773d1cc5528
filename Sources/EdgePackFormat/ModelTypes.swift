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

public enum OpCode: UInt16, CaseIterable {
    case conv2d = 0, conv1d, gemm, binaryConv2d, binaryConv1d, binaryGemm, signPack, channelAffine,
         prelu, relu, clip, add, pool2d, pool1d, reduceMax, reshape, transpose, softmax,
         sub, mul, sign, matmul, logSoftmax

    public var name: String {
        switch self {
        case .conv2d: return "Conv2D"
        case .conv1d: return "Conv1D"
        case .gemm: return "Gemm"
        case .binaryConv2d: return "BinaryConv2D"
        case .binaryConv1d: return "BinaryConv1D"
        case .binaryGemm: return "BinaryGemm"
        case .signPack: return "SignPack"
        case .channelAffine: return "ChannelAffine"
        case .prelu: return "PReLU"
        case .relu: return "ReLU"
        case .clip: return "Clip"
        case .add: return "Add"
        case .pool2d: return "Pool2D"
        case .pool1d: return "Pool1D"
        case .reduceMax: return "ReduceMax"
        case .reshape: return "Reshape"
        case .transpose: return "Transpose"
        case .softmax: return "Softmax"
        case .sub: return "Sub"
        case .mul: return "Mul"
        case .sign: return "Sign"
        case .matmul: return "MatMul"
        case .logSoftmax: return "LogSoftmax"
        }
    }

    public var isBinary: Bool { self == .binaryConv2d || self == .binaryConv1d || self == .binaryGemm }

    /// The options table an operator of this kind must carry (union type index in the schema).
    var optionsType: UInt8 {
        switch self {
        case .conv2d, .conv1d: return 1
        case .binaryConv2d, .binaryConv1d: return 2
        case .gemm: return 3
        case .binaryGemm: return 4
        case .signPack: return 5
        case .channelAffine: return 6
        case .prelu: return 7
        case .relu: return 0
        case .clip: return 8
        case .add, .sub, .mul: return 9
        case .sign, .matmul: return 0
        case .pool2d, .pool1d: return 10
        case .reduceMax: return 11
        case .reshape: return 12
        case .transpose: return 13
        case .softmax, .logSoftmax: return 14
        }
    }
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

public enum OpOptions: Equatable {
    case none
    case conv(ConvParams)
    case binaryConv(ConvParams, inputChannels: Int)
    case gemm(FusedActivation)
    case binaryGemm(FusedActivation)
    case signPack(channelsLast: Bool, threshold: Float)
    case channelAffine
    case prelu
    case clip(min: Float, max: Float)
    case add(FusedActivation)
    case pool(PoolParams)
    case reduceMax(axis: Int, keepDims: Bool, offset: Float)
    case reshape
    case transpose(perm: [Int])
    case softmax(axis: Int)
}

public struct OperatorDesc {
    public var opcode: OpCode
    /// Tensor indices; -1 marks an absent optional input.
    public var inputs: [Int]
    public var outputs: [Int]
    public var options: OpOptions
    public var name: String
    public init(opcode: OpCode, inputs: [Int], outputs: [Int], options: OpOptions, name: String) {
        self.opcode = opcode; self.inputs = inputs; self.outputs = outputs; self.options = options; self.name = name
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
