import CEdgePackSys
import EdgePackRuntime

/// Opens the source of `--raw` or `--stream`: "-" is standard input, else a file, FIFO or socket.
/// Devices are refused: /dev/zero or /dev/urandom would be read forever without a frame or a sample
/// that means anything.
func openStreamSource(_ path: String) throws(AppError) -> Int32 {
    if path == "-" { return 0 }
    let fd = PathText.withPath(path) { ep_open_read($0) }
    if fd < 0 { throw AppError(IOError(path: path, code: -fd, action: "open")) }
    let refused = ep_stream_source_error(fd)
    if refused != 0 {
        _ = ep_close(fd)
        throw AppError(IOError(path: path, code: refused, action: "read"))
    }
    return fd
}
