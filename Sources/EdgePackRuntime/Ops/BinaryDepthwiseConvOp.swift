import EdgePackFormat

/// Binary depthwise convolution (bit-sliced counters), prepared by BinaryConvOp.
struct BinaryDepthwiseConvOp {
    var geometry: ConvGeometry
    var words: Int
    var activation: FusedActivation
    var plan: BConvPlan

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        if let zeros = op.zerosPresent(words: geometry.batch * geometry.inSpatial * words) {
            bconvDepthwiseZeros(op.readWords(0), zeros: zeros, op.readWords(1), words: words, geometry,
                                ip.transform(op, activation), op.write())
            return
        }
        bconvDepthwise(op.readWords(0), op.readWords(1), words: words, geometry, plan,
                       ip.transform(op, activation), op.write())
    }
}
