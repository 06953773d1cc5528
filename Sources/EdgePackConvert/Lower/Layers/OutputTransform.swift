import EdgePackFormat

/// A layer's output per channel c as its kernel computes it from the accumulated sum acc[c]:
/// y[c] = activation(scale[c] · acc[c] + bias[c]).
struct OutputTransform {
    /// nil: 1 (a float layer without BatchNorm).
    var scale: [Float]?
    /// nil: no bias.
    var bias: [Float]?
    var activation: FusedActivation
    /// PReLU's slope: one value, or one per channel.
    var slope: [Float]?

    /// Fold step, one for convolutions and dense layers. A binary kernel counts ±1 products, so
    /// α, the weights' magnitude, is its first scale; a float kernel's weights carry it (alpha
    /// nil). Then the layer's bias b and BatchNorm's y · s + t: scale = α · s, bias = b · s + t.
    init(alpha: [Float]?, bias: [Float]?, epilogue e: Epilogue) {
        activation = e.activation
        slope = e.slope
        guard let (s, t) = e.batchNorm else {
            scale = alpha
            self.bias = bias
            return
        }
        scale = alpha.map { zip($0, s).map { $0 * $1 } } ?? s
        self.bias = (0..<s.count).map { (bias?[$0] ?? 0) * s[$0] + t[$0] }
    }

    init(folding plan: LayerPlan, bias: [Float]?) {
        switch plan {
        case .binary(let p): self.init(alpha: p.alpha, bias: bias, epilogue: p.epilogue)
        case .float(let p): self.init(alpha: nil, bias: bias, epilogue: p.epilogue)
        }
    }

    /// Float kernels have no output scale: it multiplies each output channel's weight row.
    func scalingRows(of weights: [Float]) -> [Float] {
        guard let scale, !scale.isEmpty else { return weights }
        let n = weights.count / scale.count
        var w = weights
        for o in 0..<scale.count { for k in 0..<n { w[o * n + k] *= scale[o] } }
        return w
    }
}
