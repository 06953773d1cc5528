/// Convolution weights in the binary kernels' layout, [Cout, kernel..., Cin] (depthwise:
/// [kernel..., C]): the input channels of one tap are adjacent, so they pack into the same
/// words as the channels-last packed input.
enum BinaryConvLayout {
    static func relayout(_ c: ConvLayer, depthwise: Bool) -> (values: [Float], shape: [Int]) {
        let w = c.operands.weights, cout = c.outChannels, cin = c.inChannels, taps = c.taps
        var values = [Float](repeating: 0, count: w.count)
        if depthwise {
            for o in 0..<cout { for t in 0..<taps { values[t * cout + o] = w[o * taps + t] } }
            return (values, c.kernel + [cout])
        }
        for o in 0..<cout { for i in 0..<cin { for t in 0..<taps { values[(o * taps + t) * cin + i] = w[(o * cin + i) * taps + t] } } }
        return (values, [cout] + c.kernel + [cin])
    }
}
