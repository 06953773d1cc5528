import CEdgePackSys

/// A file could not be opened, read or written.
public struct IOError: Error {
    public let path: String
    public let code: Int32
    public let action: String

    public init(path: String, code: Int32, action: String) {
        self.path = path; self.code = code; self.action = action
    }

    public var description: String {
        let reason = String(cString: ep_strerror(code))
        return "cannot \(action) '\(path)': \(reason)"
    }
}
