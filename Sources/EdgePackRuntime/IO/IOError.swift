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

    public var description: String {
        let reason: String
        switch code {
        case EP_ERR_DEVICE: reason = "a device, not a file (it has no size and may never end)"
        case EP_ERR_DIRECTORY: reason = "a directory, not a file"
        case EP_ERR_TOO_LARGE: reason = "more than the \(limit)-byte limit for input read as a stream"
        default: reason = String(cString: ep_strerror(code))
        }
        return "cannot \(action) '\(path)': \(reason)"
    }
}
