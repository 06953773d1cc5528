import EdgePackRuntime
import Foundation
import EdgePackPointCloud

// Writing PCD files the way PCL lays them out: a v0.7 header, then ascii lines, binary point
// records, or binary_compressed (u32 compressed size, u32 uncompressed size, LZF of the
// field-major data). As PCL does, padding fields are kept only in binary records.

public enum PCDWriteError: Error, Equatable, CustomStringConvertible {
    case recordSize(expected: Int, found: Int)
    case valueCount(expected: Int, found: Int)
    case value(point: Int, field: String, value: Double, problem: String)
    case tooLarge(bytes: Int)
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .recordSize(let e, let f): return "PCD write: records hold \(f) bytes, the header needs \(e)"
        case .valueCount(let e, let f): return "PCD write: \(f) values given, the header needs \(e)"
        case .value(let p, let field, let v, let problem): return "PCD write: point \(p) field \(field): \(v) \(problem)"
        case .tooLarge(let b): return "PCD write: \(b) bytes of data exceed binary_compressed's 32-bit sizes"
        case .io(let path, let message): return "PCD write: \(path): \(message)"
        }
    }
}

/// Point records under construction: values stored into the binary layout of a header's fields.
public struct PCDRecords {
    public let header: PCDHeader
    public private(set) var bytes: [UInt8]

    public init(header: PCDHeader) {
        self.header = header
        self.bytes = [UInt8](repeating: 0, count: header.points * header.pointSize)
    }

    public mutating func setBits(point: Int, field: Int, element: Int = 0, bits: UInt64) {
        let f = header.fields[field]
        precondition(element < f.count && point < header.points)
        let at = point * header.pointSize + f.offset + element * f.size
        for k in 0..<f.size { bytes[at + k] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * k)) }
    }

    /// Stores `value` converted to the field's type; integers must be whole and in range.
    public mutating func set(point: Int, field: Int, element: Int = 0, _ value: Double) throws(PCDWriteError) {
        let f = header.fields[field]
        switch (f.type, f.size) {
        case (.float, 4): setBits(point: point, field: field, element: element, bits: UInt64(Float(value).bitPattern))
        case (.float, _): setBits(point: point, field: field, element: element, bits: value.bitPattern)
        case (.signed, let size):
            let limit = Double(sign: .plus, exponent: size * 8 - 1, significand: 1)
            guard value == value.rounded(), value >= -limit, value < limit else {
                throw .value(point: point, field: f.name, value: value, problem: "does not fit I \(size)")
            }
            setBits(point: point, field: field, element: element, bits: UInt64(bitPattern: Int64(value)))
        case (.unsigned, let size):
            let limit = Double(sign: .plus, exponent: size * 8, significand: 1)
            guard value == value.rounded(), value >= 0, value < limit else {
                throw .value(point: point, field: f.name, value: value, problem: "does not fit U \(size)")
            }
            setBits(point: point, field: field, element: element, bits: UInt64(value))
        }
    }
}

public enum PCDWriter {
    /// A header for the given fields (offsets are laid out in order, padding included).
    public static func header(fields: [PCDField], width: Int, height: Int = 1,
                              viewpoint: PCDViewpoint = PCDViewpoint()) -> PCDHeader {
        PCDHeader(fields: fields, width: width, height: height, viewpoint: viewpoint)
    }

    /// Encodes point records (header.points × header.pointSize bytes, laid out as header.fields).
    public static func encode(header: PCDHeader, records: [UInt8], encoding: PCDEncoding) throws(PCDWriteError) -> [UInt8] {
        let need = header.points * header.pointSize
        guard records.count == need else { throw .recordSize(expected: need, found: records.count) }
        switch encoding {
        case .binary:
            var out = Array(headerText(header, encoding: .binary, keepPadding: true).utf8)
            out.append(contentsOf: records)
            return out
        case .binaryCompressed:
            var out = Array(headerText(header, encoding: .binaryCompressed, keepPadding: false).utf8)
            let planes = fieldMajor(header, records)
            guard planes.count <= Int(UInt32.max) else { throw .tooLarge(bytes: planes.count) }
            let packed = LZFCompressor.compress(planes)
            appendU32(&out, UInt32(packed.count))
            appendU32(&out, UInt32(planes.count))
            out.append(contentsOf: packed)
            return out
        case .ascii:
            var text = headerText(header, encoding: .ascii, keepPadding: false)
            records.withUnsafeBytes { raw in
                for p in 0..<header.points {
                    var first = true
                    for f in header.fields where !f.isPadding {
                        for e in 0..<f.count {
                            if !first { text += " " }
                            first = false
                            text += valueText(raw, p * header.pointSize + f.offset + e * f.size, f)
                        }
                    }
                    text += "\n"
                }
            }
            return Array(text.utf8)
        }
    }

    /// Encodes row-major values (points × all elements of the non-padding fields, in field order).
    public static func encode(header: PCDHeader, values: [Double], encoding: PCDEncoding) throws(PCDWriteError) -> [UInt8] {
        var perPoint = 0
        for f in header.fields where !f.isPadding { perPoint += f.count }
        guard values.count == header.points * perPoint else {
            throw .valueCount(expected: header.points * perPoint, found: values.count)
        }
        var records = PCDRecords(header: header)
        var k = 0
        for p in 0..<header.points {
            for (fi, f) in header.fields.enumerated() where !f.isPadding {
                for e in 0..<f.count {
                    try records.set(point: p, field: fi, element: e, values[k])
                    k += 1
                }
            }
        }
        return try encode(header: header, records: records.bytes, encoding: encoding)
    }

    /// An unorganized x y z float cloud from row-major xyz.
    public static func encodeXYZ(_ xyz: [Float], encoding: PCDEncoding) -> [UInt8] {
        let n = xyz.count / 3
        let header = header(fields: [PCDField(name: "x", size: 4, type: .float),
                                     PCDField(name: "y", size: 4, type: .float),
                                     PCDField(name: "z", size: 4, type: .float)], width: n)
        var records = [UInt8]()
        records.reserveCapacity(n * 12)
        for v in xyz.prefix(n * 3) {
            let b = v.bitPattern
            for k in 0..<4 { records.append(UInt8(truncatingIfNeeded: b >> UInt32(8 * k))) }
        }
        // Sizes agree by construction.
        return (try? encode(header: header, records: records, encoding: encoding)) ?? []
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(PCDWriteError) {
        do throws(IOError) { try writeFile(path: path, bytes: bytes) } catch {
            throw .io(path: path, message: error.reason)
        }
    }

    // MARK: - Pieces

    static func headerText(_ h: PCDHeader, encoding: PCDEncoding, keepPadding: Bool) -> String {
        let fields = h.fields.filter { keepPadding || !$0.isPadding }
        var s = "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\n"
        s += "FIELDS " + fields.map { $0.name }.joined(separator: " ") + "\n"
        s += "SIZE " + fields.map { String($0.size) }.joined(separator: " ") + "\n"
        s += "TYPE " + fields.map { $0.type.letter }.joined(separator: " ") + "\n"
        s += "COUNT " + fields.map { String($0.count) }.joined(separator: " ") + "\n"
        s += "WIDTH \(h.width)\nHEIGHT \(h.height)\n"
        s += "VIEWPOINT " + h.viewpoint.values.map(numberText).joined(separator: " ") + "\n"
        s += "POINTS \(h.points)\nDATA \(encoding.name)\n"
        return s
    }

    /// Whole numbers without a fraction, others in Swift's shortest round-trip form.
    static func numberText(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return floatText(v.description)
    }

    /// Shortest text that reads back to the same value; NaN of any sign or payload as "nan".
    static func floatText(_ description: String) -> String {
        description.hasSuffix("nan") ? "nan" : description
    }

    static func valueText(_ raw: UnsafeRawBufferPointer, _ at: Int, _ f: PCDField) -> String {
        var bits: UInt64 = 0
        for k in 0..<f.size { bits |= UInt64(raw[at + k]) << UInt64(8 * k) }
        switch (f.type, f.size) {
        case (.float, 4): return floatText(Float(bitPattern: UInt32(bits)).description)
        case (.float, _): return floatText(Double(bitPattern: bits).description)
        case (.unsigned, _): return String(bits)
        case (.signed, let size):
            // Sign-extend from the field's width.
            let shift = UInt64(64 - 8 * size)
            return String(Int64(bitPattern: bits << shift) >> Int64(shift))
        }
    }

    /// Point-major records to field-major planes without padding (binary_compressed's layout).
    static func fieldMajor(_ h: PCDHeader, _ records: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(h.points * h.compressedPointSize)
        for f in h.fields where !f.isPadding {
            for p in 0..<h.points {
                let at = p * h.pointSize + f.offset
                out.append(contentsOf: records[at..<(at + f.byteCount)])
            }
        }
        return out
    }

    static func appendU32(_ out: inout [UInt8], _ v: UInt32) {
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
    }
}
