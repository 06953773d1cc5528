import CEdgePackSys
import EdgePackRuntime

/// `kws --socket`: a Unix stream socket serving each detection as a JSON line to every reader
/// connected at the time. Nothing waits: readers are accepted between audio reads, and one that
/// has gone, or has fallen so far behind that a line no longer fits its socket buffer, is dropped
/// without holding up capture or the other readers.
public final class DetectionSocket {
    public let path: String
    private var server: Int32
    private var readers: [Int32] = []

    public init(path: String) throws(AppError) {
        self.path = path
        let fd = PathText.withPath(path) { ep_socket_listen($0) }
        guard fd >= 0 else {
            var reason = String(cString: ep_strerror(-fd))
            if fd == Int32(EP_SOCKET_IN_USE) { reason = "another process is serving it" }
            if fd == Int32(EP_SOCKET_NOT_A_SOCKET) { reason = "the file exists and is not a socket" }
            throw AppError("--socket " + PathText.escaped(path) + ": " + reason)
        }
        server = fd
    }

    public var readerCount: Int { readers.count }

    /// Accepts waiting readers and drops those that have closed their end.
    public func service() {
        guard server >= 0 else { return }
        while true {
            let fd = ep_socket_accept(server)
            if fd < 0 { break }                       // none waiting, or out of descriptors for now
            readers.append(fd)
        }
        readers.removeAll { fd in
            guard ep_socket_peer_closed(fd) != 0 else { return false }
            _ = ep_close(fd)
            return true
        }
    }

    /// One line to every reader.
    public func send(_ line: String) {
        service()
        var text = line
        text += "\n"
        readers.removeAll { fd in
            let code = text.withCString { ep_socket_send(fd, $0, line.utf8.count + 1) }
            guard code != 0 else { return false }
            _ = ep_close(fd)
            return true
        }
    }

    /// Closes every connection and removes the socket file.
    public func close() {
        guard server >= 0 else { return }
        for fd in readers { _ = ep_close(fd) }
        readers = []
        _ = ep_close(server)
        server = -1
        _ = PathText.withPath(path) { ep_socket_remove($0) }
    }

    deinit { close() }
}
