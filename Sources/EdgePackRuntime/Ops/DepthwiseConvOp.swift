import EdgePackFormat

/// Float depthwise convolution (groups = C, one filter per channel), prepared by ConvOp.
struct DepthwiseConvOp {
    var geometry: ConvGeometry
    var activation: FusedActivation

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let g = geometry, y = ip.write(op.output)
        depthwiseConvFloat(ip.read(op.inputs[0]), ip.read(op.inputs[1]), ip.readOptional(op.inputs[2]), g, y)
        applyActivationPlanar(y, batch: g.batch, channels: g.outChannels, spatial: g.outSpatial, ip.activation(op, activation))
    }
}
