/// Why a folded ONNX graph cannot be mapped onto EdgePack's runtime operators.
public enum LowerError: Error, CustomStringConvertible {
    case unsupportedOp(node: String, detail: String)
    case unsupportedForm(node: String, detail: String)

    /// ONNX ops the converter maps (after constant folding removed weight subgraphs).
    public static let supportedOps = [
        "Conv", "Gemm", "MatMul", "BatchNormalization", "Relu", "PRelu", "Clip", "Sign", "Abs",
        "Add/Sub/Mul (equal shapes or trailing broadcast)", "Div (by a constant)", "MaxPool", "AveragePool",
        "GlobalAveragePool", "GlobalMaxPool", "ReduceMean (over all spatial axes, or the last axis)",
        "ReduceMax (one axis)", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Softmax", "LogSoftmax",
        "Pad (zeros on spatial axes)", "Slice (strided spatial subsample)", "Identity", "Dropout",
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
