/// Why a value's static type or shape could not be determined.
public enum ShapeError: Error, CustomStringConvertible {
    case unknownInput(node: String, input: String)
    case noRule(node: String)
    case invalid(node: String, detail: String)
    case unknownGraphInput(name: String)
    case outputMismatch(output: String, declared: [Int], inferred: [Int])

    public var description: String {
        switch self {
        case .unknownInput(let n, let i):
            "shape inference: \(n) reads '\(i)', whose shape is unknown"
        case .noRule(let n):
            "shape inference: no rule for \(n) (ops with rules: \(ShapeInference.supportedOps.sorted().joined(separator: ", ")))"
        case .invalid(let n, let d):
            "shape inference: \(n): \(d)"
        case .unknownGraphInput(let name):
            "graph input '\(name)' has no static shape; give it (e.g. --input-shape \(name)=1,3,32,32)"
        case .outputMismatch(let o, let d, let i):
            "graph output '\(o)' is declared with shape \(d) but computes to \(i)"
        }
    }
}
