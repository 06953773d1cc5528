/// Why a node with constant inputs could not be evaluated on the host.
public indirect enum EvalError: Error, CustomStringConvertible {
    /// The op is not in the host evaluator (the folder leaves such nodes in the graph).
    case unsupportedOp(String)
    case invalid(String)
    case attribute(AttributeError)
    case atNode(String, EvalError)

    public var description: String {
        switch self {
        case .unsupportedOp(let op): "operator \(op) cannot be evaluated at conversion time"
        case .invalid(let d): d
        case .attribute(let e): e.description
        case .atNode(let n, let e): "constant folding \(n): \(e.description)"
        }
    }
}
