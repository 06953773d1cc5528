/// Why a model cannot run: an operator whose tensors do not fit together, an unsupported
/// configuration, or bad input data. Raised while planning, before anything executes.
public struct RuntimeError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
