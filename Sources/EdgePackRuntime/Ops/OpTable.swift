import EdgePackFormat

// The runtime's operator table: every opcode of the schema, the kernel each one prepares, and
// the one call that runs it. Adding an operator: a case here (opcode, name, options table,
// prepare, kernel, run) and its file under Ops/ with its options, prepare and run together.

/// The schema's OpCode values (Schema/edgepack.fbs; a test checks the two agree).
public enum OpCode: UInt16, CaseIterable, Sendable {
    case conv2d = 0, conv1d, gemm, binaryConv2d, binaryConv1d, binaryGemm, signPack, channelAffine,
         prelu, relu, clip, add, pool2d, pool1d, reduceMax, reshape, transpose, softmax,
         sub, mul, sign, matmul, logSoftmax, concat, sin, cos

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
        case .concat: return "Concat"
        case .sin: return "Sin"
        case .cos: return "Cos"
        }
    }

    public var isBinary: Bool { self == .binaryConv2d || self == .binaryConv1d || self == .binaryGemm }

    /// The schema's OpOptions union index this operator's table has (0: none).
    public var optionsType: UInt8 {
        switch self {
        case .conv2d, .conv1d: return ConvParams.tableType
        case .binaryConv2d, .binaryConv1d: return BinaryConvOptions.tableType
        case .gemm: return GemmOptions.tableType
        case .binaryGemm: return BinaryGemmOptions.tableType
        case .signPack: return SignPackOptions.tableType
        case .channelAffine: return ChannelAffineOptions.tableType
        case .prelu: return PReluOptions.tableType
        case .clip: return ClipOptions.tableType
        case .add, .sub, .mul: return AddOptions.tableType
        case .pool2d, .pool1d: return PoolParams.tableType
        case .reduceMax: return ReduceMaxOptions.tableType
        case .reshape: return ReshapeOptions.tableType
        case .transpose: return TransposeOptions.tableType
        case .softmax, .logSoftmax: return SoftmaxOptions.tableType
        case .concat: return ConcatOptions.tableType
        case .relu, .sign, .matmul, .sin, .cos: return NoOptions.tableType
        }
    }

    func prepare(_ c: OpContext) throws(RuntimeError) -> PreparedOp {
        switch self {
        case .conv2d: return try ConvOp.prepare(c, is1D: false)
        case .conv1d: return try ConvOp.prepare(c, is1D: true)
        case .gemm: return try DenseOp.prepare(c)
        case .binaryConv2d: return try BinaryConvOp.prepare(c, is1D: false)
        case .binaryConv1d: return try BinaryConvOp.prepare(c, is1D: true)
        case .binaryGemm: return try BinaryDenseOp.prepare(c)
        case .signPack: return try SignPackOp.prepare(c)
        case .channelAffine: return try ChannelAffineOp.prepare(c)
        case .prelu: return try PReluOp.prepare(c)
        case .relu: return try ReluOp.prepare(c)
        case .clip: return try ClipOp.prepare(c)
        case .add: return try ElementwiseOp.prepare(c, .add)
        case .sub: return try ElementwiseOp.prepare(c, .sub)
        case .mul: return try ElementwiseOp.prepare(c, .mul)
        case .pool2d: return try PoolOp.prepare(c, is1D: false)
        case .pool1d: return try PoolOp.prepare(c, is1D: true)
        case .reduceMax: return try ReduceMaxOp.prepare(c)
        case .reshape: return try ReshapeOp.prepare(c)
        case .transpose: return try TransposeOp.prepare(c)
        case .softmax: return try SoftmaxOp.prepare(c, log: false)
        case .logSoftmax: return try SoftmaxOp.prepare(c, log: true)
        case .sign: return try SignOp.prepare(c)
        case .matmul: return try MatMulOp.prepare(c)
        case .concat: return try ConcatOp.prepare(c)
        case .sin: return try TrigOp.prepare(c, cosine: false)
        case .cos: return try TrigOp.prepare(c, cosine: true)
        }
    }
}

extension OperatorDesc {
    /// The operator's opcode; nil for a value this runtime does not know.
    public var opcode: OpCode? { OpCode(rawValue: code) }
    /// Its name for reports: the opcode's name, or the number when unknown.
    public var opcodeName: String { opcode?.name ?? "opcode \(code)" }
}

/// A prepared kernel with its own arguments. Binary layers have float-kernel twins used only
/// by the float-reference mode (FloatReference.swift).
enum OpKernel {
    case conv(ConvOp)
    case depthwiseConv(DepthwiseConvOp)
    case dense(DenseOp)
    case binaryConv(BinaryConvOp)
    case binaryDepthwiseConv(BinaryDepthwiseConvOp)
    case binaryDense(BinaryDenseOp)
    case signPack(SignPackOp)
    case channelAffine(ChannelAffineOp)
    case prelu(PReluOp)
    case relu(ReluOp)
    case clip(ClipOp)
    case elementwise(ElementwiseOp)
    case sign(SignOp)
    case matmul(MatMulOp)
    case pool(PoolOp)
    case reduceMax(ReduceMaxOp)
    case reshape(ReshapeOp)
    case transpose(TransposeOp)
    case softmax(SoftmaxOp)
    case concat(ConcatOp)
    case trig(TrigOp)
    case referenceBinaryConv(ReferenceBinaryConvOp)
    case referenceBinaryDense(ReferenceBinaryDenseOp)
    case referenceSign(ReferenceSignOp)
}

extension Interpreter {
    /// Runs one prepared operator: one call per kernel.
    @inline(__always)
    func execute(_ op: PreparedOp) {
        switch op.kernel {
        case .conv(let k): k.run(op, self)
        case .depthwiseConv(let k): k.run(op, self)
        case .dense(let k): k.run(op, self)
        case .binaryConv(let k): k.run(op, self)
        case .binaryDepthwiseConv(let k): k.run(op, self)
        case .binaryDense(let k): k.run(op, self)
        case .signPack(let k): k.run(op, self)
        case .channelAffine(let k): k.run(op, self)
        case .prelu(let k): k.run(op, self)
        case .relu(let k): k.run(op, self)
        case .clip(let k): k.run(op, self)
        case .elementwise(let k): k.run(op, self)
        case .sign(let k): k.run(op, self)
        case .matmul(let k): k.run(op, self)
        case .pool(let k): k.run(op, self)
        case .reduceMax(let k): k.run(op, self)
        case .reshape(let k): k.run(op, self)
        case .transpose(let k): k.run(op, self)
        case .softmax(let k): k.run(op, self)
        case .concat(let k): k.run(op, self)
        case .trig(let k): k.run(op, self)
        case .referenceBinaryConv(let k): k.run(op, self)
        case .referenceBinaryDense(let k): k.run(op, self)
        case .referenceSign(let k): k.run(op, self)
        }
    }
}
