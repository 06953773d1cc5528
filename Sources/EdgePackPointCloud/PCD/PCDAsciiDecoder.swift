// ascii PCD data: one point per line, every element of every field as a whitespace-separated
// token (padding fields `_` included, their tokens skipped as PCL does). Blank lines are skipped;
// text after the last point is ignored. Values are parsed straight into binary point records.

enum PCDAsciiDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader) throws(PCDError) -> PCDCloud {
        let points = header.points
        let perPoint = header.valuesPerPoint
        let available = bytes.count - header.dataOffset
        // Every point line holds perPoint tokens and perPoint separators (the last line may lack its
        // newline), so the text bounds how many records can be needed: allocate no more than that.
        let (minLine, o) = perPoint.multipliedReportingOverflow(by: 2)
        guard !o else { throw .sizeOverflow(what: "\(perPoint) values per point") }
        let fitting = (available + 1) / minLine
        let capacityPoints = min(points, fitting)
        let (recordBytes, o2) = capacityPoints.multipliedReportingOverflow(by: header.pointSize)
        guard !o2 else { throw .sizeOverflow(what: "\(capacityPoints) points × \(header.pointSize) bytes") }
        guard recordBytes <= PCDReader.maxDecodedBytes else {
            throw .frameTooLarge(bytes: recordBytes, limit: PCDReader.maxDecodedBytes)
        }
        var records = [UInt8](repeating: 0, count: recordBytes)

        let kinds = header.fields.map { PCDValueKind(type: $0.type, size: $0.size) }
        var failure: PCDError? = nil
        records.withUnsafeMutableBytes { out in
            do throws(PCDError) {
                try parse(bytes, header, kinds, capacityPoints, out)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }

        var base: [Int] = []
        var stride: [Int] = []
        for f in header.fields {
            base.append(f.offset)
            stride.append(header.pointSize)
        }
        return PCDCloud(header: header, storage: .owned(records), fieldBase: base, fieldStride: stride)
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader, _ kinds: [PCDValueKind],
                      _ capacityPoints: Int, _ out: UnsafeMutableRawBufferPointer) throws(PCDError) {
        let n = bytes.count
        var pos = header.dataOffset
        var line = header.headerLines
        var point = 0
        while point < header.points {
            guard pos < n else { throw .asciiMissingPoints(found: point, expected: header.points) }
            line += 1
            var end = pos
            while end < n, bytes[end] != 0x0A { end += 1 }
            let lineStart = pos
            pos = end < n ? end + 1 : end
            var cursor = lineStart
            var tokenCount = 0
            // Next token on the line, or nil at its end.
            func nextToken() -> ByteRange? {
                while cursor < end, PCDText.isSpace(bytes[cursor]) { cursor += 1 }
                guard cursor < end else { return nil }
                let s = cursor
                while cursor < end, !PCDText.isSpace(bytes[cursor]) { cursor += 1 }
                tokenCount += 1
                return ByteRange(start: s, end: cursor)
            }
            func countRest() -> Int {
                while nextToken() != nil {}
                return tokenCount
            }
            guard let first = nextToken() else { continue }   // blank line
            // Past the text-derived capacity, the bytes left cannot hold a full line: say what is wrong with it.
            guard point < capacityPoints else {
                let found = countRest()
                if found != header.valuesPerPoint {
                    throw .asciiValueCount(line: line, found: found, expected: header.valuesPerPoint)
                }
                throw .asciiMissingPoints(found: point, expected: header.points)
            }
            let record = point * header.pointSize
            var token: ByteRange? = first
            for (fi, field) in header.fields.enumerated() {
                for e in 0..<field.count {
                    guard let t = token else {
                        throw .asciiValueCount(line: line, found: tokenCount, expected: header.valuesPerPoint)
                    }
                    if !field.isPadding {
                        try store(bytes, t, kinds[fi], out, record + field.offset + e * field.size, line, field.name)
                    }
                    token = nextToken()
                }
            }
            if token != nil {
                throw .asciiValueCount(line: line, found: countRest(), expected: header.valuesPerPoint)
            }
            point += 1
        }
    }

    static func store(_ bytes: UnsafeRawBufferPointer, _ t: ByteRange, _ kind: PCDValueKind,
                      _ out: UnsafeMutableRawBufferPointer, _ at: Int, _ line: Int, _ name: String) throws(PCDError) {
        switch kind {
        case .float32:
            guard let v = PCDText.parseFloat(bytes, t) else {
                throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t), problem: "is not a number")
            }
            out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: at, as: UInt32.self)
        case .float64:
            guard let v = PCDText.parseDouble(bytes, t) else {
                throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t), problem: "is not a number")
            }
            out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: at, as: UInt64.self)
        default:
            let size: Int
            let signed: Bool
            switch kind {
            case .int8: size = 1; signed = true
            case .uint8: size = 1; signed = false
            case .int16: size = 2; signed = true
            case .uint16: size = 2; signed = false
            case .int32: size = 4; signed = true
            case .uint32: size = 4; signed = false
            case .int64: size = 8; signed = true
            default: size = 8; signed = false
            }
            let bits = size * 8
            var pattern: UInt64
            switch PCDText.parseInteger(bytes, t) {
            case .value(let magnitude, let negative):
                if negative && magnitude != 0 {
                    // Signed minimum is -(2^(bits-1)); unsigned fields take no negative values.
                    let limit: UInt64 = signed ? (1 << UInt64(bits - 1)) : 0
                    guard magnitude <= limit else {
                        throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t),
                                          problem: "is out of range for \(signed ? "I" : "U") \(size)")
                    }
                    pattern = 0 &- magnitude
                } else {
                    let limit: UInt64 = signed ? (1 << UInt64(bits - 1)) - 1 : (bits == 64 ? UInt64.max : (1 << UInt64(bits)) - 1)
                    guard magnitude <= limit else {
                        throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t),
                                          problem: "is out of range for \(signed ? "I" : "U") \(size)")
                    }
                    pattern = magnitude
                }
            case .overflow:
                throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t),
                                  problem: "is out of range for \(signed ? "I" : "U") \(size)")
            case .notANumber:
                throw .asciiValue(line: line, field: name, token: PCDText.string(bytes, t), problem: "is not an integer")
            }
            switch size {
            case 1: out[at] = UInt8(truncatingIfNeeded: pattern)
            case 2: out.storeBytes(of: UInt16(truncatingIfNeeded: pattern).littleEndian, toByteOffset: at, as: UInt16.self)
            case 4: out.storeBytes(of: UInt32(truncatingIfNeeded: pattern).littleEndian, toByteOffset: at, as: UInt32.self)
            default: out.storeBytes(of: pattern.littleEndian, toByteOffset: at, as: UInt64.self)
            }
        }
    }
}
