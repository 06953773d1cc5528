import EdgePackFormat

/// Which kernel an operator runs, decided once at plan time.
enum KernelKind {
    case convFloat, convDepthwiseFloat, gemmFloat
    case bconv, bconvDepthwise, bgemm
    case bconvEmulated, bconvDepthwiseEmulated, bgemmEmulated
    case signPackRows, signPackChannelsLast, signEmulated
    case channelAffine, prelu, relu, clip, add, sub, mul, sign, matmul, pool, globalPool, reduceMax, copy, transpose, softmax, logSoftmax
}

/// Everything an operator needs at run time: resolved geometry, tensor indices, derived tables
/// and scratch. Plain data, filled by the Ops/ prepare functions.
struct PreparedOp {
    var kind: KernelKind
    var index: Int
    var inputs: [Int]
    var output: Int
    var geometry = ConvGeometry()
    var activation = FusedActivation()
    var words = 0
    var k = 0
    var rows = 0
    var outer = 0, axis = 0, inner = 0
    var count = 0
    var threshold: Float = 0
    var offset: Float = 0
    var pool = PoolParams()
    var perm: [Int] = []
    var shape: [Int] = []
    var plan: BConvPlan? = nil
    /// Float ±1 copies of packed weights, only in the float-reference execution mode, until the
    /// interpreter moves them into its packed-weight buffer.
    var emulatedWeights: [Float] = []
    /// Floats of weights prepared once in the interpreter's packed-weight buffer (panels,
    /// transposed or emulated weights); 0 when the kernel reads its weights as stored.
    var packedWeightCount = 0
    /// Byte offset of those weights in that buffer, -1 when none.
    var packedWeightOffset = -1
    /// Scratch requests (bytes); their arena offsets after planning.
    var scratchSizes: [Int] = []
    var scratchOffsets: [Int] = []

    init(kind: KernelKind, index: Int, inputs: [Int], output: Int) {
        self.kind = kind; self.index = index; self.inputs = inputs; self.output = output
    }
}
