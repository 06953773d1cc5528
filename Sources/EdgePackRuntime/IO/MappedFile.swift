import CEdgePackSys

/// A whole file as read-only bytes: memory-mapped for regular files (so model weights are never
/// copied), read into memory for pipes and FIFOs, up to a limit. Devices and directories are
/// refused: they have no size, and /dev/zero or /dev/urandom would be read forever.
public final class MappedFile {
    /// The most a pipe (or a copied file) may deliver: a supervisor's mistake must not eat the memory.
    public static let defaultReadLimit = 1 << 26

    private let view: ep_file_view
    public let path: String

    /// `copy` reads a regular file into memory instead of mapping it, for files another process
    /// may truncate while they are read (a mapped page past the new end raises SIGBUS).
    public init(path: String, readLimit: Int = MappedFile.defaultReadLimit, copy: Bool = false) throws(IOError) {
        let limit = max(0, readLimit)
        let v = PathText.withPath(path) { ep_map_file($0, limit, copy ? 0 : 1) }
        if v.error != 0 { throw IOError(path: path, code: v.error, action: "read", limit: limit) }
        self.view = v
        self.path = path
    }

    /// Reads standard input to its end (at most `readLimit` bytes).
    public init(standardInput: Void, readLimit: Int = MappedFile.defaultReadLimit) throws(IOError) {
        let limit = max(0, readLimit)
        let v = ep_read_fd(0, limit)
        if v.error != 0 { throw IOError(path: "<stdin>", code: v.error, action: "read", limit: limit) }
        self.view = v
        self.path = "<stdin>"
    }

    deinit { ep_unmap_file(view) }

    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: view.data, count: view.size)
    }

    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; returns how many (fewer at the
    /// end, or if the file shrank since it was opened), or the errno of a failed read. Unlike
    /// `bytes`, this leaves a mapped file's pages out of the process: a long file read front to back
    /// (a WAV as a stream) costs the buffer, not the file's length, in resident memory.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard offset >= 0, let base = buffer.baseAddress else { return 0 }
        let n = ep_view_read(view, offset, base, buffer.count)
        if n < 0 { throw IOError(path: path, code: Int32(-n), action: "read") }
        return n
    }
}

/// Writes `bytes` to `path`, replacing it.
public func writeFile(path: String, bytes: [UInt8]) throws(IOError) {
    let code = bytes.withUnsafeBytes { raw in
        PathText.withPath(path) { ep_write_file($0, raw.baseAddress, raw.count) }
    }
    if code != 0 { throw IOError(path: path, code: code, action: "write") }
}
