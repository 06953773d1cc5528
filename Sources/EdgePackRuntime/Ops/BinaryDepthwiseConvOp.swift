import EdgePackFormat

/// Binary depthwise convolution (bit-sliced counters), prepared by BinaryConvOp.
struct BinaryDepthwiseConvOp {
    var geometry: ConvGeometry
    var words: Int
    var activation: FusedActivation
    var plan: BConvPlan

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        bconvDepthwise(op.readWords(0), op.readWords(1), words: words, geometry, plan,
                       ip.transform(op, activation), op.write())
    }
}
