/// Why a folded ONNX graph cannot be mapped onto EdgePack's runtime operators.
public enum LowerError: Error, CustomStringConvertible {
    case unsupportedOp(node: String, detail: String)
    case unsupportedForm(node: String, detail: String)

    /// ONNX ops the converter maps (after constant folding removed weight subgraphs).
    public static let supportedOps = [
        "Conv", "Gemm", "MatMul (constant weight)", "BatchNormalization", "Relu", "PRelu", "Clip", "Sign",
        "Add", "Sub/Mul/Div (by a per-channel constant)", "MaxPool", "AveragePool", "GlobalAveragePool",
        "GlobalMaxPool", "ReduceMean (over all spatial axes)", "ReduceMax (one axis)", "Reshape", "Flatten",
        "Squeeze", "Unsqueeze", "Transpose", "Softmax", "Pad (zero, before Conv)", "Slice (strided spatial subsample)",
        "Identity", "Dropout",
    ]

    public var description: String {
        switch self {
        case .unsupportedOp(let n, let d):
            "\(n) cannot be converted: \(d). Supported ops: \(LowerError.supportedOps.joined(separator: ", "))"
        case .unsupportedForm(let n, let d):
            "\(n) cannot be converted: \(d)"
        }
    }
}
