import Foundation

/// A convolution or dense layer on a binary kernel: its input is Sign(x) of a value that can be
/// negative and its weights are ±α per output channel.
struct BinaryLayerPlan {
    /// Graph index of the Sign node whose input the kernel reads bit-packed.
    var sign: Int
    /// Per output channel c the weights are ±alpha[c]; the kernel counts ±1 products.
    var alpha: [Float]
    var epilogue: Epilogue
    /// Set when `--rebinarize` replaced the weights by sign(w)·mean|w|: ‖w − α·sign(w)‖ / ‖w‖.
    var weightError: Double? = nil

    static let reason = "Sign input, weights ±α per output channel"
    var reason: String {
        guard let weightError else { return Self.reason }
        return "Sign input, rebinarized to sign(w)·mean|w| per output channel (relative weight error \(formatError(weightError)))"
    }
}

/// A relative error with three significant digits.
func formatError(_ e: Double) -> String { String(format: "%.3g", e) }

/// A convolution or dense layer that stays on a float kernel, and why.
struct FloatLayerPlan {
    var reason: FloatReason
    /// Binary with `--rebinarize` (Sign input, only the weights' magnitudes vary in a channel).
    var rebinarizable = false
    var epilogue: Epilogue
}

/// The match step's decision for one layer.
enum LayerPlan {
    case binary(BinaryLayerPlan)
    case float(FloatLayerPlan)

    var epilogue: Epilogue {
        switch self {
        case .binary(let p): p.epilogue
        case .float(let p): p.epilogue
        }
    }
}

extension Emitter {
    /// Match step, part 2: binary or float for a layer. `formReason` is what rules out a binary
    /// kernel for the layer's form even with ±α weights (a convolution's groups or taps);
    /// checked last, so that the report names the more basic reason.
    func matchLayer(_ l: LayerOperands, formReason: FloatReason?, epilogue: Epilogue) -> LayerPlan {
        func float(_ why: FloatReason) -> LayerPlan {
            .float(FloatLayerPlan(reason: notes[output: l.node.outputs[0]].map(FloatReason.madeByRewrite) ?? why, epilogue: epilogue))
        }
        // A Sign of a Relu output (mostly exact zeros) is binary too: SignPack's zero mask
        // carries ONNX's Sign(0) = 0 to the layer.
        guard let s = signNode(of: l.input) else { return float(.inputIsNotSign) }
        switch BinaryWeights.scales(l.weights, rows: l.outputs) {
        case .failure(let why):
            guard case .magnitudesPerChannel = why, formReason == nil,
                  let (alpha, error) = BinaryWeights.rebinarized(l.weights, rows: l.outputs) else { return float(why) }
            guard rebinarize else {
                guard case .float(var p) = float(why) else { return float(why) }
                p.rebinarizable = true
                return .float(p)
            }
            return .binary(BinaryLayerPlan(sign: s, alpha: alpha, epilogue: epilogue, weightError: error))
        case .success(let alpha):
            if let why = formReason { return float(why) }
            return .binary(BinaryLayerPlan(sign: s, alpha: alpha, epilogue: epilogue))
        }
    }
}
