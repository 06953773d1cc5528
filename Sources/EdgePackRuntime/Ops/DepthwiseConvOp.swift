import EdgePackFormat

/// Float depthwise convolution (groups = C, one filter per channel), prepared by ConvOp.
struct DepthwiseConvOp {
    var geometry: ConvGeometry
    var activation: FusedActivation
    /// No weight is inf or NaN: checked once, when the model is prepared.
    var weightsFinite: Bool

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let g = geometry, y = op.write()
        depthwiseConvFloat(op.read(0), op.read(1), op.readOptional(2), g, weightsFinite: weightsFinite, y)
        applyActivationPlanar(y, batch: g.batch, channels: g.outChannels, spatial: g.outSpatial, ip.activation(op, activation))
    }
}
