/// Why a model file was refused. `message` names the field path and the problem, for example
/// "graph.tensors[3].shape: dimension 0 is -2".
public struct ModelError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "invalid model: " + message }
}
