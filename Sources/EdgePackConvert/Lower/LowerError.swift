/// Why a folded ONNX graph cannot be mapped onto EdgePack's runtime operators.
public enum LowerError: Error, CustomStringConvertible {
    case unsupportedOp(node: String, detail: String)
    case unsupportedForm(node: String, detail: String)
    /// The written model fails the runtime's own checks (a name with a control character, say).
    case refusedByRuntime(detail: String)

    /// ONNX ops the converter maps: the keys of its rule table.
    public static var supportedOps: [String] { LoweringRules.table.keys.sorted() }

    public var description: String {
        switch self {
        case .unsupportedOp(let n, let d):
            "\(n) cannot be converted: \(d). Supported ops: \(LowerError.supportedOps.joined(separator: ", "))"
        case .unsupportedForm(let n, let d):
            "\(n) cannot be converted: \(d)"
        case .refusedByRuntime(let d):
            "the converted model would be refused by the runtime: \(d)"
        }
    }
}
