import CEdgePackSys

/// A file could not be opened, read or written. `code` is an errno value, or one of the shim's
/// negative EP_ERR_* codes (a device, a directory, a pipe longer than `limit`).
public struct IOError: Error {
    public let path: String
    public let code: Int32
    public let action: String
    /// The read limit in force, for EP_ERR_TOO_LARGE.
    public let limit: Int

    public init(path: String, code: Int32, action: String, limit: Int = 0) {
        self.path = path; self.code = code; self.action = action; self.limit = limit
    }

    /// Why, without the path: for messages that name the file themselves.
    public var reason: String {
        switch code {
        case EP_ERR_DEVICE: "a device, not a file (it has no size and may never end)"
        case EP_ERR_DIRECTORY: "a directory, not a file"
        case EP_ERR_TOO_LARGE: "more than the \(limit)-byte limit for input read as a stream"
        default: String(cString: ep_strerror(code))
        }
    }

    public var description: String { "cannot \(action) '\(PathText.escaped(path))': \(reason)" }
}
