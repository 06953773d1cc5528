// NumPy .npy (format 1.0–3.0) reading and writing for float32 arrays, the CLI's tensor
// exchange format. Reading accepts little-endian float32/float64/int32/int64/uint8 C-order data
// and converts to Float; anything else is refused with the reason.

public struct NPYArray {
    public var shape: [Int]
    public var data: [Float]
    public init(shape: [Int], data: [Float]) { self.shape = shape; self.data = data }
}

public struct NPYError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "malformed .npy: " + message }
}

public enum NPY {
    /// NumPy itself refuses headers over 10,000 bytes unless told otherwise; anything longer is not a real array header.
    public static let maxHeaderBytes = 1 << 16
    /// Elements converted to Float at most (256 MB): more is refused before allocating, whatever the file holds.
    public static let defaultMaxElements = 1 << 26

    public static func parse(_ bytes: UnsafeRawBufferPointer,
                             maxElements: Int = NPY.defaultMaxElements) throws(NPYError) -> NPYArray {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10 else { throw NPYError("file is \(bytes.count) bytes, shorter than the 10-byte preamble") }
        for i in 0..<6 where bytes[i] != magic[i] { throw NPYError("missing the \\x93NUMPY magic") }
        let major = bytes[6]
        var headerLength: Int
        var headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NPYError("truncated preamble") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw NPYError("unsupported format version \(major)")
        }
        guard headerLength <= maxHeaderBytes else {
            throw NPYError("header length \(headerLength) exceeds the \(maxHeaderBytes)-byte limit")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw NPYError("header length \(headerLength) runs past the end of the file")
        }
        var header = ""
        for i in headerStart..<(headerStart + headerLength) {
            let b = bytes[i]
            guard b < 0x80 else { throw NPYError("header is not ASCII") }
            header.unicodeScalars.append(Unicode.Scalar(b))
        }
        let descr = try stringValue(of: "descr", in: header)
        let fortran = try rawValue(of: "fortran_order", in: header)
        guard fortran.hasPrefix("False") else { throw NPYError("Fortran-order arrays are not supported") }
        let shape = try shapeValue(in: header)
        var count = 1
        for d in shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o, d >= 0 else { throw NPYError("shape \(shape) overflows") }
            count = p
        }
        let elementSize: Int
        switch descr {
        case "<f4", "<i4": elementSize = 4
        case "<f8", "<i8": elementSize = 8
        case "|u1", "<u1", "|i1": elementSize = 1
        default: throw NPYError("dtype '\(descr)' is not supported (want little-endian float32)")
        }
        let dataStart = headerStart + headerLength
        let (need, o) = count.multipliedReportingOverflow(by: elementSize)
        guard !o, need <= bytes.count - dataStart else {
            throw NPYError("data holds \(bytes.count - dataStart) bytes, shape \(shape) of \(descr) needs \(need)")
        }
        guard need == bytes.count - dataStart else {
            throw NPYError("\(bytes.count - dataStart - need) bytes after the data for shape \(shape)")
        }
        guard count <= maxElements else {
            throw NPYError("the array holds \(count) elements, more than the \(maxElements) allowed")
        }
        var data = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let at = dataStart + i * elementSize
            switch descr {
            case "<f4": data[i] = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            case "<f8": data[i] = Float(Double(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            case "<i4": data[i] = Float(bytes.loadUnaligned(fromByteOffset: at, as: Int32.self))
            case "<i8": data[i] = Float(bytes.loadUnaligned(fromByteOffset: at, as: Int64.self))
            case "|i1": data[i] = Float(Int8(bitPattern: bytes[at]))
            default: data[i] = Float(bytes[at])
            }
        }
        return NPYArray(shape: shape, data: data)
    }

    /// Little-endian float32, C order, format 1.0 with the header padded to 64 bytes.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        var shapeText = "("
        for (i, d) in array.shape.enumerated() {
            shapeText += String(d)
            if array.shape.count == 1 || i + 1 < array.shape.count { shapeText += "," }
            if i + 1 < array.shape.count { shapeText += " " }
        }
        shapeText += ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let n = header.utf8.count
        out.append(UInt8(n & 0xFF)); out.append(UInt8(n >> 8))
        out.append(contentsOf: header.utf8)
        out.reserveCapacity(out.count + array.data.count * 4)
        for v in array.data {
            let b = v.bitPattern
            out.append(UInt8(b & 0xFF)); out.append(UInt8((b >> 8) & 0xFF))
            out.append(UInt8((b >> 16) & 0xFF)); out.append(UInt8(b >> 24))
        }
        return out
    }

    // The header is a Python dict literal; these pull out the three keys NumPy always writes.
    static func rawValue(of key: String, in header: String) throws(NPYError) -> Substring {
        guard let end = indexAfter("'" + key + "':", in: header) else { throw NPYError("header has no '\(key)'") }
        return header[end...].drop(while: { $0 == " " })
    }

    /// Index just past the first occurrence of `needle` (String search without _StringProcessing,
    /// which Embedded Swift lacks).
    static func indexAfter(_ needle: String, in text: String) -> String.Index? {
        let n = Array(needle.utf8)
        var i = text.startIndex
        while i < text.endIndex {
            var j = i, k = 0
            while k < n.count, j < text.endIndex, text.utf8[j] == n[k] {
                j = text.utf8.index(after: j); k += 1
            }
            if k == n.count { return j }
            i = text.utf8.index(after: i)
        }
        return nil
    }

    static func stringValue(of key: String, in header: String) throws(NPYError) -> String {
        let rest = try rawValue(of: key, in: header)
        guard rest.first == "'" else { throw NPYError("'\(key)' is not a string") }
        let body = rest.dropFirst()
        guard let end = body.firstIndex(of: "'") else { throw NPYError("unterminated '\(key)'") }
        return String(body[..<end])
    }

    static func shapeValue(in header: String) throws(NPYError) -> [Int] {
        let rest = try rawValue(of: "shape", in: header)
        guard rest.first == "(", let end = rest.firstIndex(of: ")") else { throw NPYError("'shape' is not a tuple") }
        var dims: [Int] = []
        for part in rest[rest.index(after: rest.startIndex)..<end].split(separator: ",") {
            let t = part.filter { $0 != " " }
            if t.isEmpty { continue }
            guard let v = Int(t), v >= 0, v < (1 << 40) else { throw NPYError("bad dimension '\(t)' in shape") }
            dims.append(v)
        }
        return dims
    }
}
