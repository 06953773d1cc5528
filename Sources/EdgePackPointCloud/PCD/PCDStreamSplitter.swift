// Cutting a byte stream of concatenated PCD files (stdin, a FIFO) into frames.
// A frame's end follows from its header (PCDFrameScan), and a frame cut short ends where the
// next one begins, so it is reported alone and the next frame is kept. Between frames, NUL bytes
// and whitespace are skipped (PCL pads the files it writes with zeros to whole pages).
// After bytes that do not begin a frame, the splitter resynchronises on the next "# .PCD" or
// "VERSION": at the start of a line (or after a NUL) it is tried as a frame, and reported if bad;
// in the middle of a line (garbage run into a frame) only when a valid header follows.
// Memory is bounded: headers by maxHeaderBytes, frames by maxFrameBytes.

public enum PCDStreamEvent: Equatable, Sendable {
    /// A complete frame: `buffer[start..<end]` (see withBuffer); `streamOffset` counts from the
    /// first byte ever appended. Its data may still be corrupt: the reader decides that.
    case frame(start: Int, end: Int, streamOffset: Int)
    /// Bytes at `streamOffset` do not begin a readable frame; they are skipped.
    case error(PCDError, streamOffset: Int)
}

public struct PCDStreamSplitter {
    /// Headers larger than this without a DATA line are treated as garbage rather than awaited.
    public static let maxHeaderBytes = 1 << 20
    /// Frames larger than this are refused without buffering them (256 MB; a 128-beam lidar sweep is ~10 MB).
    public static let defaultMaxFrameBytes = 1 << 28

    public let maxFrameBytes: Int
    var buffer: [UInt8] = []
    /// Bytes of `buffer` already handed out or skipped.
    var consumed = 0
    /// Stream offset of buffer[0].
    var base = 0
    var finished = false
    var resyncing = false
    /// The frame at `consumed` whose header has been read, while its body arrives.
    var scan: PCDFrameScan? = nil

    public init(maxFrameBytes: Int = PCDStreamSplitter.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    /// Adds bytes read from the stream. Frames returned earlier are invalidated (the buffer is compacted).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // One byte before `consumed` is kept: whether it ends a line decides how a frame marker there is trusted.
        if consumed > 1 {
            let drop = consumed - 1
            buffer.removeFirst(drop)
            base += drop
            consumed = 1
        }
        buffer.append(contentsOf: bytes)
    }

    /// Marks the end of the stream: a trailing partial frame becomes an error.
    public mutating func finish() { finished = true }

    /// Runs `body` over the buffered bytes, for reading a frame returned by `next()`.
    public func withBuffer<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        buffer.withUnsafeBytes { body($0) }
    }

    /// The next frame or error, or nil when more input is needed (or, after finish(), when done).
    public mutating func next() -> PCDStreamEvent? {
        let count = buffer.count
        if scan == nil {
            var p = consumed
            while p < count, buffer[p] == 0 || buffer[p] == 0x0A || PCDText.isSpace(buffer[p]) { p += 1 }
            consumed = p
            guard p < count else { return nil }
            if resyncing {
                guard let q = resyncPoint(from: p) else { return nil }
                consumed = q
                resyncing = false
            }
            let start = consumed, done = finished
            let parsed: Result<PCDHeader, PCDError>
            var resume = 1
            parsed = buffer.withUnsafeBytes { raw in
                var parser = PCDHeaderParser(UnsafeRawBufferPointer(rebasing: raw[start...]), atEnd: done)
                defer { resume = parser.resume }
                do throws(PCDError) { return .success(try parser.parse()) } catch { return .failure(error) }
            }
            switch parsed {
            case .success(let header):
                scan = PCDFrameScan(header: header)
            case .failure(let error):
                if case .headerIncomplete = error, !done {
                    guard count - start > Self.maxHeaderBytes else { return nil }
                    return fail(.headerIncomplete(bytes: count - start), resume: resume)   // past what was read
                }
                return fail(error, resume: resume)
            }
        }
        let start = consumed
        let done = finished, limit = maxFrameBytes
        let result = buffer.withUnsafeBytes { raw in
            scan!.advance(UnsafeRawBufferPointer(rebasing: raw[start...]), atEnd: done, maxFrameBytes: limit)
        }
        switch result {
        case .needMore:
            return nil
        case .complete(let length):
            scan = nil
            consumed = start + length
            return .frame(start: start, end: start + length, streamOffset: base + start)
        case .cutShort(let error, let next):
            scan = nil
            consumed = start + next
            return .error(error, streamOffset: base + start)
        case .failed(let error, let resume):
            scan = nil
            return fail(error, resume: resume)
        }
    }

    /// Reports the frame at `consumed` as bad and looks for the next one from `resume` bytes in.
    mutating func fail(_ error: PCDError, resume: Int) -> PCDStreamEvent {
        let start = consumed
        resyncing = true
        consumed = start + max(1, resume)
        return .error(error, streamOffset: base + start)
    }

    /// Where the next frame may start, at or after `from`; nil when more input is needed (the
    /// bytes before any possible start are dropped).
    mutating func resyncPoint(from: Int) -> Int? {
        let done = finished
        var skip = 0
        let found: (Int, Bool)? = buffer.withUnsafeBytes { raw in
            var i = from
            while i < raw.count {
                switch PCDFrameScan.marker(raw, at: i, atEnd: done) {
                case .no: break
                case .partial: return (i, false)
                case .yes:
                    if i == 0 || raw[i - 1] == 0x0A || raw[i - 1] == 0 { return (i, true) }
                    switch PCDFrameScan.headerCheck(raw, at: i, atEnd: done, skipCommentsBefore: &skip) {
                    case .valid: return (i, true)
                    case .incomplete: return (i, false)
                    case .invalid: break
                    }
                }
                i += 1
            }
            return nil
        }
        guard let (at, ready) = found else {
            consumed = buffer.count
            return nil
        }
        consumed = at
        return ready ? at : nil
    }

    /// Whether the PCD file in `bytes` ends before its header or data does (a file read while
    /// still being written looks like this).
    public static func isCutShort(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do throws(PCDError) { _ = try frameLength(bytes, atEnd: true) } catch {
            switch error {
            case .headerIncomplete, .truncatedData, .asciiMissingPoints: return true
            default: return false
            }
        }
        return false
    }

    /// Length of the PCD file at the start of `bytes`, or nil if it continues past the end (more
    /// bytes needed). With `atEnd`, a file cut short is an error instead; so is a file whose body
    /// holds the start of another (a frame cut short in a stream).
    public static func frameLength(_ bytes: UnsafeRawBufferPointer, atEnd: Bool,
                                   maxFrameBytes: Int = PCDStreamSplitter.defaultMaxFrameBytes) throws(PCDError) -> Int? {
        var parser = PCDHeaderParser(bytes, atEnd: atEnd)
        var scan: PCDFrameScan
        do throws(PCDError) {
            scan = PCDFrameScan(header: try parser.parse())
        } catch {
            if case .headerIncomplete = error, !atEnd { return nil }
            throw error
        }
        switch scan.advance(bytes, atEnd: atEnd, maxFrameBytes: maxFrameBytes) {
        case .complete(let length): return length
        case .needMore: return nil
        case .cutShort(let error, _), .failed(let error, _): throw error
        }
    }
}
