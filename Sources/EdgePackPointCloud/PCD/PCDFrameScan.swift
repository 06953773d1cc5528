// Finding where one PCD frame of a stream ends, when frames may be cut short or damaged.
// The header says how long the body is (binary: POINTS × record size, binary_compressed: 8 + the
// stated compressed size, ascii: POINTS non-blank lines), but a frame cut short says nothing:
// its stated length would run into the next frame. So the body is also searched for the start of
// the next frame ("# .PCD" or "VERSION"): in ascii data either marker ends the frame (neither can
// be a value); in binary data, which may hold any bytes, only a marker that begins a complete,
// valid header does. The scan keeps its place, so a frame arriving in pieces is read once.

/// Progress through the body of the frame at the start of a buffer.
struct PCDFrameScan {
    let header: PCDHeader
    /// Binary encodings: offset (from the frame start) just past the body, once known.
    var end: Int?
    /// Next offset to look at.
    var position: Int
    /// ascii: non-blank lines completed so far, and whether the current line has text.
    var points = 0
    var lineHasText = false
    /// See `headerCheck`.
    var skipCommentsBefore = 0

    init(header: PCDHeader) {
        self.header = header
        position = header.dataOffset
    }

    enum Result {
        /// The frame is `length` bytes long.
        case complete(Int)
        case needMore
        /// The frame ends early: the next frame starts at `next`.
        case cutShort(PCDError, next: Int)
        /// The frame cannot be measured; look for the next one from `resume`.
        case failed(PCDError, resume: Int)
    }

    static let markers: [StaticString] = ["# .PCD", "VERSION"]

    /// Scans `frame` (the frame's first byte onwards, as far as it has arrived).
    mutating func advance(_ frame: UnsafeRawBufferPointer, atEnd: Bool, maxFrameBytes: Int) -> Result {
        header.encoding == .ascii ? advanceAscii(frame, atEnd: atEnd, maxFrameBytes: maxFrameBytes)
                                  : advanceBinary(frame, atEnd: atEnd, maxFrameBytes: maxFrameBytes)
    }

    mutating func advanceBinary(_ frame: UnsafeRawBufferPointer, atEnd: Bool, maxFrameBytes: Int) -> Result {
        let dataOffset = header.dataOffset
        if end == nil {
            do throws(PCDError) {
                if let body = try PCDReader.binaryDataLength(frame, header: header) {
                    let (total, o) = dataOffset.addingReportingOverflow(body)
                    guard !o, total <= maxFrameBytes else {
                        return .failed(.frameTooLarge(bytes: o ? Int.max : total, limit: maxFrameBytes), resume: dataOffset)
                    }
                    end = total
                }
            } catch {
                return .failed(error, resume: dataOffset)
            }
        }
        let limit = min(frame.count, end ?? frame.count)
        // Once the whole body is here, the last bytes beginning a marker are data: waiting for
        // the next frame to tell would hold back one frame in a hundred until another arrives.
        let bodyHere = end.map { $0 <= frame.count } ?? false
        while position < limit {
            switch Self.marker(frame, at: position, atEnd: atEnd || bodyHere) {
            case .no: break
            case .partial: return .needMore
            case .yes:
                switch Self.headerCheck(frame, at: position, atEnd: atEnd, skipCommentsBefore: &skipCommentsBefore) {
                case .valid:
                    let needed = (end ?? frame.count) - dataOffset
                    return .cutShort(.truncatedData(offset: dataOffset, needed: needed, available: position - dataOffset),
                                     next: position)
                case .incomplete: return .needMore
                case .invalid: break
                }
            }
            position += 1
        }
        if let end, end <= frame.count { return .complete(end) }
        if atEnd {
            let needed = (end ?? dataOffset + 8) - dataOffset
            return .cutShort(.truncatedData(offset: dataOffset, needed: needed, available: frame.count - dataOffset),
                             next: frame.count)
        }
        return .needMore
    }

    mutating func advanceAscii(_ frame: UnsafeRawBufferPointer, atEnd: Bool, maxFrameBytes: Int) -> Result {
        let expected = header.points
        if points == expected { return .complete(position) }     // POINTS 0
        while position < frame.count {
            let b = frame[position]
            if b == 0x23 || b == 0x56 {                           // '#', 'V'
                switch Self.marker(frame, at: position, atEnd: atEnd) {
                case .no: break
                case .partial: return .needMore
                case .yes: return .cutShort(.asciiMissingPoints(found: points, expected: expected), next: position)
                }
            }
            if b == 0x0A {
                if lineHasText {
                    points += 1
                    lineHasText = false
                    if points == expected { return .complete(position + 1) }
                }
            } else if !PCDText.isSpace(b) {
                lineHasText = true
            }
            position += 1
        }
        if atEnd {
            // A last line without its newline is complete at the end of the input, as in a file.
            if lineHasText && points + 1 == expected { return .complete(frame.count) }
            return .cutShort(.asciiMissingPoints(found: points + (lineHasText ? 1 : 0), expected: expected), next: frame.count)
        }
        if frame.count > maxFrameBytes {
            return .failed(.frameTooLarge(bytes: frame.count, limit: maxFrameBytes), resume: header.dataOffset)
        }
        return .needMore
    }

    enum Match { case no, partial, yes }

    /// Whether a marker starts at `at`; `partial` when the bytes end inside one that may yet complete.
    static func marker(_ bytes: UnsafeRawBufferPointer, at: Int, atEnd: Bool) -> Match {
        let first = bytes[at]
        guard first == 0x23 || first == 0x56 else { return .no }
        for m in markers where m.utf8Start[0] == first {
            let len = m.utf8CodeUnitCount
            let have = min(len, bytes.count - at)
            var k = 1
            while k < have, bytes[at + k] == m.utf8Start[k] { k += 1 }
            if k == len { return .yes }
            if k == have { return atEnd ? .no : .partial }
        }
        return .no
    }

    enum HeaderCheck { case valid, incomplete, invalid }

    /// Candidates are judged on this many bytes at most, so that data full of marker-like text
    /// (say, thousands of "# .PCD" comment lines) costs a bounded amount per byte. Real headers
    /// are a few hundred bytes; one longer than this right after a frame cut short is missed.
    static let candidateWindow = 4096

    /// Whether a complete, valid header starts at `at`, and where its leading comment lines end
    /// (a "# .PCD" candidate before that offset reads the same lines after its comments, so it
    /// fails the same way: `skipCommentsBefore` lets callers pass over such candidates).
    static func headerCheck(_ bytes: UnsafeRawBufferPointer, at: Int, atEnd: Bool,
                            skipCommentsBefore: inout Int) -> HeaderCheck {
        if bytes[at] == 0x23 && at < skipCommentsBefore { return .invalid }
        let window = min(bytes.count - at, candidateWindow)
        let decided = atEnd || window == candidateWindow
        var parser = PCDHeaderParser(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + window)]), atEnd: decided)
        do throws(PCDError) {
            _ = try parser.parse()
            return .valid
        } catch {
            if case .headerIncomplete = error, !decided { return .incomplete }
            skipCommentsBefore = at + (parser.firstEntry ?? window)
            return .invalid
        }
    }
}
