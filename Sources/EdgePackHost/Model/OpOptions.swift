import EdgePackFormat
import EdgePackRuntime

/// A shorthand for writers: each case names one operator's options type (Ops/ in the runtime).
public enum OpOptions {
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

extension ModelBuilder {
    public func addOperator(_ opcode: OpCode, inputs: [Int], outputs: [Int], options: OpOptions = .none, name: String = "") {
        switch options {
        case .none: addOperator(opcode, inputs: inputs, outputs: outputs, options: NoOptions(), name: name)
        case .conv(let p): addOperator(opcode, inputs: inputs, outputs: outputs, options: p, name: name)
        case .binaryConv(let p, let cin):
            addOperator(opcode, inputs: inputs, outputs: outputs, options: BinaryConvOptions(conv: p, inputChannels: cin), name: name)
        case .gemm(let a): addOperator(opcode, inputs: inputs, outputs: outputs, options: GemmOptions(activation: a), name: name)
        case .binaryGemm(let a): addOperator(opcode, inputs: inputs, outputs: outputs, options: BinaryGemmOptions(activation: a), name: name)
        case .signPack(let last, let t):
            addOperator(opcode, inputs: inputs, outputs: outputs, options: SignPackOptions(channelsLast: last, threshold: t), name: name)
        case .channelAffine: addOperator(opcode, inputs: inputs, outputs: outputs, options: ChannelAffineOptions(), name: name)
        case .prelu: addOperator(opcode, inputs: inputs, outputs: outputs, options: PReluOptions(), name: name)
        case .clip(let lo, let hi): addOperator(opcode, inputs: inputs, outputs: outputs, options: ClipOptions(min: lo, max: hi), name: name)
        case .add(let a): addOperator(opcode, inputs: inputs, outputs: outputs, options: AddOptions(activation: a), name: name)
        case .pool(let p): addOperator(opcode, inputs: inputs, outputs: outputs, options: p, name: name)
        case .reduceMax(let axis, let keep, let offset):
            addOperator(opcode, inputs: inputs, outputs: outputs, options: ReduceMaxOptions(axis: axis, keepDims: keep, offset: offset), name: name)
        case .reshape: addOperator(opcode, inputs: inputs, outputs: outputs, options: ReshapeOptions(), name: name)
        case .transpose(let perm): addOperator(opcode, inputs: inputs, outputs: outputs, options: TransposeOptions(perm: perm), name: name)
        case .softmax(let axis): addOperator(opcode, inputs: inputs, outputs: outputs, options: SoftmaxOptions(axis: axis), name: name)
        }
    }
}
