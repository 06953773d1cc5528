/// A front-end specification that cannot be computed (from a model file or a command line).
public struct FrontEndError: Error, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "audio front end: " + message }
}
