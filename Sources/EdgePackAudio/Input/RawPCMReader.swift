import CEdgePackSys
import EdgePackRuntime

/// Raw signed 16-bit little-endian PCM from a file descriptor (stdin by default), read in
/// chunks with `ep_read` and delivered as mono Float samples (interleaved channels averaged).
/// A frame split across two reads is carried over; a partial frame at end of input is dropped.
public final class RawPCMReader {
    public let fd: Int32
    public let channels: Int
    private var bytes: [UInt8]
    private var pending = 0            // bytes of an incomplete frame kept at the front
    public private(set) var framesRead: Int64 = 0

    public init(fd: Int32 = 0, channels: Int = 1, chunkFrames: Int = 1024) {
        self.fd = fd
        self.channels = max(1, channels)
        bytes = [UInt8](repeating: 0, count: max(1, chunkFrames) * self.channels * 2)
    }

    /// Reads the next chunk into `out` (resized to the frames decoded). Returns the frame count;
    /// 0 means end of input.
    public func read(into out: inout [Float]) throws(IOError) -> Int {
        let frameBytes = channels * 2
        while true {
            let n = bytes.withUnsafeMutableBytes { ep_read(fd, $0.baseAddress! + pending, $0.count - pending) }
            if n < 0 { throw IOError(path: fd == 0 ? "<stdin>" : "fd \(fd)", code: Int32(-n), action: "read") }
            if n == 0 { pending = 0; out.removeAll(keepingCapacity: true); return 0 }
            let available = pending + n
            let frames = available / frameBytes
            if frames == 0 { pending = available; continue }
            if out.count != frames { out = [Float](repeating: 0, count: frames) }
            bytes.withUnsafeBytes { b in
                for f in 0..<frames {
                    var sum = 0
                    for c in 0..<channels {
                        let at = (f * channels + c) * 2
                        sum += Int(Int16(bitPattern: UInt16(b[at]) | UInt16(b[at + 1]) << 8))
                    }
                    out[f] = Float(Double(sum) / Double(channels) / 32768)
                }
            }
            let used = frames * frameBytes
            pending = available - used
            for i in 0..<pending { bytes[i] = bytes[used + i] }
            framesRead += Int64(frames)
            return frames
        }
    }
}
