import CEdgePackSys

/// A whole file as read-only bytes: memory-mapped for regular files (so model weights are never
/// copied), read into memory for pipes and FIFOs.
public final class MappedFile {
    private let view: ep_file_view
    public let path: String

    public init(path: String) throws(IOError) {
        let v = path.withCString { ep_map_file($0) }
        if v.error != 0 { throw IOError(path: path, code: v.error, action: "read") }
        self.view = v
        self.path = path
    }

    /// Reads standard input to its end.
    public init(standardInput: Void) throws(IOError) {
        let v = ep_read_fd(0)
        if v.error != 0 { throw IOError(path: "<stdin>", code: v.error, action: "read") }
        self.view = v
        self.path = "<stdin>"
    }

    deinit { ep_unmap_file(view) }

    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: view.data, count: view.size)
    }
}

/// Writes `bytes` to `path`, replacing it.
public func writeFile(path: String, bytes: [UInt8]) throws(IOError) {
    let code = bytes.withUnsafeBytes { raw in
        path.withCString { ep_write_file($0, raw.baseAddress, raw.count) }
    }
    if code != 0 { throw IOError(path: path, code: code, action: "write") }
}
