/// Structural problems of a graph: dangling references, duplicate definitions, cycles.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    case undefinedInput(node: String, input: String)
    case duplicateDefinition(value: String, first: String, second: String)
    case undefinedOutput(output: String)
    case cycle(nodes: [String])

    public var description: String {
        switch self {
        case .undefinedInput(let node, let input):
            "\(node) reads '\(input)', which is no graph input, initializer or node output (missing initializer?)"
        case .duplicateDefinition(let value, let first, let second):
            "value '\(value)' is defined twice: by \(first) and by \(second)"
        case .undefinedOutput(let output):
            "graph output '\(output)' is produced by no node, input or initializer"
        case .cycle(let nodes):
            "the graph has a cycle through \(nodes.joined(separator: " -> ")) -> \(nodes.first ?? "")"
        }
    }
}
