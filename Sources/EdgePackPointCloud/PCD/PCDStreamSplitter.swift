// Cutting a byte stream of concatenated PCD files (stdin, a FIFO) into frames.
// A frame's end follows from its header: binary = POINTS × record size, binary_compressed =
// 8 + the stated compressed size, ascii = POINTS non-blank lines. Between frames, NUL bytes and
// whitespace are skipped (PCL pads the files it writes with zeros to whole pages).
// After a frame whose header is broken, the splitter resynchronises on the next line that starts
// with "# .PCD" or "VERSION".

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

    var buffer: [UInt8] = []
    /// Bytes of `buffer` already handed out or skipped.
    var consumed = 0
    /// Stream offset of buffer[0].
    var base = 0
    var finished = false
    var resyncing = false

    public init() {}

    /// Adds bytes read from the stream. Frames returned earlier are invalidated (the buffer is compacted).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if consumed > 0 {
            buffer.removeFirst(consumed)
            base += consumed
            consumed = 0
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
        var p = consumed
        while p < count, buffer[p] == 0 || buffer[p] == 0x0A || PCDText.isSpace(buffer[p]) { p += 1 }
        consumed = p
        guard p < count else { return nil }

        if resyncing {
            let found: Int? = buffer.withUnsafeBytes { PCDStreamSplitter.syncPoint($0, from: p) }
            if let q = found {
                consumed = q
                resyncing = false
            } else {
                // Keep a tail that could be the start of a marker split across reads.
                consumed = finished ? count : max(p, count - 8)
                return nil
            }
        }

        let start = consumed
        let done = finished
        let extent = buffer.withUnsafeBytes { raw in
            PCDStreamSplitter.extent(UnsafeRawBufferPointer(rebasing: raw[start...]), atEnd: done)
        }
        switch extent {
        case .complete(let length):
            consumed = start + length
            return .frame(start: start, end: start + length, streamOffset: base + start)
        case .needMore:
            if count - start > Self.maxHeaderBytes {
                resyncing = true
                consumed = start + 1
                return .error(.headerIncomplete(bytes: count - start), streamOffset: base + start)
            }
            return nil
        case .failed(let error, let resume):
            switch error {
            case .truncatedData, .asciiMissingPoints:
                // Only reported once the stream has ended: the whole tail was one unfinished frame.
                consumed = count
            default:
                // Look for the next frame after the line that failed, so one bad header is one error.
                resyncing = true
                consumed = start + max(1, resume)
            }
            return .error(error, streamOffset: base + start)
        }
    }

    enum Extent {
        case complete(Int)
        case needMore
        case failed(PCDError, resume: Int)
    }

    static func extent(_ bytes: UnsafeRawBufferPointer, atEnd: Bool) -> Extent {
        var parser = PCDHeaderParser(bytes, atEnd: atEnd)
        let header: PCDHeader
        do throws(PCDError) {
            header = try parser.parse()
        } catch {
            if case .headerIncomplete = error, !atEnd { return .needMore }
            return .failed(error, resume: parser.consumed)
        }
        do throws(PCDError) {
            guard let length = try bodyLength(bytes, header, atEnd: atEnd) else { return .needMore }
            return .complete(length)
        } catch {
            return .failed(error, resume: header.dataOffset)
        }
    }

    /// Length of the PCD file at the start of `bytes`, or nil if it continues past the end (more
    /// bytes needed). With `atEnd`, a file cut short is an error instead.
    public static func frameLength(_ bytes: UnsafeRawBufferPointer, atEnd: Bool) throws(PCDError) -> Int? {
        switch extent(bytes, atEnd: atEnd) {
        case .complete(let length): return length
        case .needMore: return nil
        case .failed(let error, _): throw error
        }
    }

    static func bodyLength(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader, atEnd: Bool) throws(PCDError) -> Int? {
        let available = bytes.count - header.dataOffset
        switch header.encoding {
        case .binary, .binaryCompressed:
            guard let length = try PCDReader.binaryDataLength(bytes, header: header) else {
                if atEnd { throw .truncatedData(offset: header.dataOffset, needed: 8, available: available) }
                return nil
            }
            guard length <= available else {
                if atEnd { throw .truncatedData(offset: header.dataOffset, needed: length, available: available) }
                return nil
            }
            return header.dataOffset + length
        case .ascii:
            return try asciiLength(bytes, header, atEnd: atEnd)
        }
    }

    /// End of the line holding the POINTS-th non-blank line after the header.
    static func asciiLength(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader, atEnd: Bool) throws(PCDError) -> Int? {
        let n = bytes.count
        var pos = header.dataOffset
        var found = 0
        while found < header.points {
            guard pos < n else {
                if atEnd { throw .asciiMissingPoints(found: found, expected: header.points) }
                return nil
            }
            var end = pos
            var blank = true
            while end < n, bytes[end] != 0x0A {
                if !PCDText.isSpace(bytes[end]) { blank = false }
                end += 1
            }
            if end == n && !atEnd { return nil }     // the line may continue
            if !blank { found += 1 }
            pos = end < n ? end + 1 : end
        }
        return pos
    }

    /// First offset ≥ from that starts a line (or follows a NUL) with "# .PCD" or "VERSION".
    static func syncPoint(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        let markers: [StaticString] = ["# .PCD", "VERSION"]
        var i = from
        while i < bytes.count {
            if i == 0 || bytes[i - 1] == 0x0A || bytes[i - 1] == 0 {
                for m in markers {
                    let len = m.utf8CodeUnitCount
                    if bytes.count - i >= len {
                        var match = true
                        for k in 0..<len where bytes[i + k] != m.utf8Start[k] { match = false; break }
                        if match { return i }
                    }
                }
            }
            i += 1
        }
        return nil
    }
}
