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

    /// Lets the system drop the pages of `bytes[0..<offset]`, which a front-to-back reader is done
    /// with, so a long file read as a stream does not stay in memory (mapped files only).
    public func release(upTo offset: Int) { ep_release_pages(view, max(0, offset)) }
}

/// Writes `bytes` to `path`, replacing it.
public func writeFile(path: String, bytes: [UInt8]) throws(IOError) {
    let code = bytes.withUnsafeBytes { raw in
        PathText.withPath(path) { ep_write_file($0, raw.baseAddress, raw.count) }
    }
    if code != 0 { throw IOError(path: path, code: code, action: "write") }
}
