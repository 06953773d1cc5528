// PCD header rules (PCD v0.7 as PCL writes it), enforced strictly so that a corrupt frame is
// refused at its first bad line rather than misread:
// - lines end with '\n' ('\r' before it is tolerated); blank lines and lines starting with '#' are skipped;
// - entries come in the order VERSION FIELDS SIZE TYPE COUNT WIDTH HEIGHT VIEWPOINT POINTS DATA,
//   each once; COUNT (default 1 each) and VIEWPOINT (default 0 0 0 1 0 0 0) may be left out;
// - WIDTH × HEIGHT must equal POINTS; sizes are 1/2/4/8 (floats 4/8); counts are at least 1;
// - data starts right after the newline that ends the DATA line.

struct PCDHeaderParser {
    static let keywords: [StaticString] = ["VERSION", "FIELDS", "SIZE", "TYPE", "COUNT",
                                           "WIDTH", "HEIGHT", "VIEWPOINT", "POINTS", "DATA"]
    static let optional: [Bool] = [false, false, false, false, true, false, false, true, false, false]
    /// PCL keeps widths, heights and point counts in 32-bit unsigned integers.
    static let maxCount: UInt64 = 0xFFFF_FFFF

    let bytes: UnsafeRawBufferPointer
    /// Whether the input ends here (a file) or more may follow (a stream still arriving):
    /// decides if a DATA line without its newline is complete.
    let atEnd: Bool
    /// Offset just past the last line looked at; after a failure, where the failing line ends
    /// (a stream resumes its search for the next frame there).
    private(set) var consumed = 0
    /// Start of the last line looked at, of the comment lines just before it, how many entries were
    /// accepted before it, and whether it was not an entry at all.
    private(set) var lineStart = 0
    private(set) var commentStart: Int? = nil
    private(set) var entries = 0
    private(set) var unknownEntry = false
    /// Start of the first line that is neither blank nor a comment, once reached.
    private(set) var firstEntry: Int? = nil

    /// Where a stream looks for the next frame after a failure. A header cut short fails on the
    /// next frame's VERSION line (or on a line it ran into), so the search starts at that line,
    /// including the comments before it, or inside it for text that is no entry; only a first
    /// entry that is broken itself is skipped whole.
    var resume: Int {
        if unknownEntry { return lineStart + 1 }
        if entries == 0 { return consumed }
        return commentStart ?? lineStart
    }

    init(_ bytes: UnsafeRawBufferPointer, atEnd: Bool = true) {
        self.bytes = bytes
        self.atEnd = atEnd
    }

    static func name(_ k: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: keywords[k].utf8Start, count: keywords[k].utf8CodeUnitCount),
               as: UTF8.self)
    }

    mutating func parse() throws(PCDError) -> PCDHeader {
        var version = ""
        var names: [String] = []
        var sizes: [Int] = []
        var types: [PCDFieldType] = []
        var counts: [Int] = []
        var width = 0, height = 0, points = 0
        var viewpoint = PCDViewpoint()
        var encoding = PCDEncoding.binary

        var next = 0           // index into keywords of the entry expected next
        var line = 0
        var pos = 0
        let n = bytes.count
        while true {
            guard pos < n else { throw .headerIncomplete(bytes: n) }
            line += 1
            var end = pos
            while end < n, bytes[end] != 0x0A { end += 1 }
            let hasNewline = end < n
            let lineRange = ByteRange(start: pos, end: end)
            let afterLine = hasNewline ? end + 1 : end
            consumed = afterLine
            lineStart = pos
            let toks = PCDText.tokens(bytes, lineRange)
            if toks.isEmpty || bytes[toks[0].start] == 0x23 {   // blank or '#' comment
                if commentStart == nil { commentStart = pos }
                guard hasNewline else { throw .headerIncomplete(bytes: n) }
                pos = afterLine
                continue
            }
            if entries == 0 && firstEntry == nil { firstEntry = pos }
            var k = -1
            for (i, _) in Self.keywords.enumerated() where PCDText.equals(bytes, toks[0], Self.keywords[i]) {
                k = i
                break
            }
            guard k >= 0 else {
                // A word still arriving may yet become a keyword; anything else is refused at once.
                if !hasNewline && !atEnd && toks.count == 1 && toks[0].end == end && Self.isKeywordPrefix(bytes, toks[0]) {
                    throw .headerIncomplete(bytes: n)
                }
                unknownEntry = true
                throw .headerLine(line: line, problem: "unknown header entry '\(PCDText.string(bytes, toks[0]))'")
            }
            // Only the DATA line may be the very last bytes of a file; anything else needs its newline.
            guard hasNewline || (atEnd && k == 9) else { throw .headerIncomplete(bytes: n) }
            if k < next {
                throw .headerOrder(line: line, found: Self.name(k), expected: Self.name(next))
            }
            var skipped = next
            while skipped < k {
                guard Self.optional[skipped] else {
                    throw .headerMissing(line: line, entry: Self.name(skipped), found: Self.name(k))
                }
                skipped += 1
            }
            next = k + 1
            let values = Array(toks.dropFirst())
            let fieldCount = names.count

            switch k {
            case 0:
                guard values.count == 1 else { throw .headerLine(line: line, problem: "VERSION needs one value, found \(values.count)") }
                version = PCDText.string(bytes, values[0])
            case 1:
                guard !values.isEmpty else { throw .headerLine(line: line, problem: "FIELDS names no field") }
                for v in values { names.append(PCDText.exactString(bytes, v)) }
            case 2:
                try Self.expectCount(values.count, fieldCount, "SIZE", line)
                for v in values {
                    guard let s = PCDText.parseCount(bytes, v, limit: 8), s == 1 || s == 2 || s == 4 || s == 8 else {
                        throw .headerLine(line: line, problem: "SIZE '\(PCDText.string(bytes, v))' is not 1, 2, 4 or 8")
                    }
                    sizes.append(s)
                }
            case 3:
                try Self.expectCount(values.count, fieldCount, "TYPE", line)
                for (i, v) in values.enumerated() {
                    let t: PCDFieldType
                    if PCDText.equals(bytes, v, "I") { t = .signed }
                    else if PCDText.equals(bytes, v, "U") { t = .unsigned }
                    else if PCDText.equals(bytes, v, "F") { t = .float }
                    else {
                        throw .headerLine(line: line, problem: "TYPE '\(PCDText.string(bytes, v))' of field \(names[i]) is not I, U or F")
                    }
                    guard PCDField.isValid(type: t, size: sizes[i]) else {
                        throw .headerLine(line: line, problem: "field \(names[i]) has TYPE \(t.letter) with SIZE \(sizes[i]); floats are 4 or 8 bytes")
                    }
                    types.append(t)
                }
            case 4:
                try Self.expectCount(values.count, fieldCount, "COUNT", line)
                for (i, v) in values.enumerated() {
                    guard let c = PCDText.parseCount(bytes, v, limit: Self.maxCount), c >= 1 else {
                        throw .headerLine(line: line, problem: "COUNT '\(PCDText.string(bytes, v))' of field \(names[i]) is not a whole number ≥ 1")
                    }
                    counts.append(c)
                }
            case 5, 6, 8:
                guard values.count == 1, let v = PCDText.parseCount(bytes, values[0], limit: Self.maxCount) else {
                    let shown = values.isEmpty ? "nothing" : "'" + PCDText.string(bytes, ByteRange(start: values[0].start, end: values[values.count - 1].end)) + "'"
                    throw .headerLine(line: line, problem: "\(Self.name(k)) needs one whole number below 2^32, found \(shown)")
                }
                if k == 5 { width = v } else if k == 6 { height = v } else { points = v }
            case 7:
                guard values.count == 7 else {
                    throw .headerLine(line: line, problem: "VIEWPOINT needs 7 values (tx ty tz qw qx qy qz), found \(values.count)")
                }
                var vp: [Double] = []
                for v in values {
                    guard let d = PCDText.parseDouble(bytes, v) else {
                        throw .headerLine(line: line, problem: "VIEWPOINT value '\(PCDText.string(bytes, v))' is not a number")
                    }
                    vp.append(d)
                }
                viewpoint = PCDViewpoint(vp)
            default: // DATA
                guard values.count == 1 else { throw .headerLine(line: line, problem: "DATA needs one of ascii, binary, binary_compressed") }
                if PCDText.equals(bytes, values[0], "ascii") { encoding = .ascii }
                else if PCDText.equals(bytes, values[0], "binary") { encoding = .binary }
                else if PCDText.equals(bytes, values[0], "binary_compressed") { encoding = .binaryCompressed }
                else {
                    throw .headerLine(line: line, problem: "DATA '\(PCDText.string(bytes, values[0]))' is not ascii, binary or binary_compressed")
                }
                if counts.isEmpty { counts = [Int](repeating: 1, count: fieldCount) }
                return try Self.finish(version: version, names: names, sizes: sizes, types: types, counts: counts,
                                       width: width, height: height, viewpoint: viewpoint, points: points,
                                       encoding: encoding, dataOffset: afterLine, headerLines: line)
            }
            entries += 1
            commentStart = nil
            pos = afterLine
        }
    }

    static func isKeywordPrefix(_ bytes: UnsafeRawBufferPointer, _ token: ByteRange) -> Bool {
        for k in keywords where token.count < k.utf8CodeUnitCount {
            var match = true
            for i in 0..<token.count where bytes[token.start + i] != k.utf8Start[i] { match = false; break }
            if match { return true }
        }
        return false
    }

    static func expectCount(_ found: Int, _ fields: Int, _ entry: String, _ line: Int) throws(PCDError) {
        guard found == fields else {
            throw .headerLine(line: line, problem: "\(entry) has \(found) values for \(fields) fields")
        }
    }

    static func finish(version: String, names: [String], sizes: [Int], types: [PCDFieldType], counts: [Int],
                       width: Int, height: Int, viewpoint: PCDViewpoint, points: Int,
                       encoding: PCDEncoding, dataOffset: Int, headerLines: Int) throws(PCDError) -> PCDHeader {
        let (wh, o) = width.multipliedReportingOverflow(by: height)
        guard !o, wh == points else { throw .pointCountMismatch(width: width, height: height, points: points) }
        var fields: [PCDField] = []
        var offset = 0
        for i in 0..<names.count {
            let (bytes, o1) = sizes[i].multipliedReportingOverflow(by: counts[i])
            let (next, o2) = offset.addingReportingOverflow(bytes)
            guard !o1, !o2, next <= Int(Int32.max) else {
                throw .sizeOverflow(what: "point record larger than 2^31 bytes at field \(names[i])")
            }
            fields.append(PCDField(name: names[i], size: sizes[i], type: types[i], count: counts[i], offset: offset))
            offset = next
        }
        var header = PCDHeader(version: version, fields: fields, width: width, height: height,
                               viewpoint: viewpoint, points: points, encoding: encoding, dataOffset: dataOffset)
        header.headerLines = headerLines
        return header
    }
}
