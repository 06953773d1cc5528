// The parsed header of a PCD file: what each point holds and where the data starts.

/// The TYPE letter of a field.
public enum PCDFieldType: UInt8, Equatable, Sendable {
    case signed = 73    // 'I'
    case unsigned = 85  // 'U'
    case float = 70     // 'F'

    public var letter: String {
        switch self {
        case .signed: return "I"
        case .unsigned: return "U"
        case .float: return "F"
        }
    }
}

/// One FIELDS entry with its SIZE, TYPE and COUNT.
public struct PCDField: Equatable, Sendable {
    public var name: String
    /// Bytes per element: 1, 2, 4 or 8 (4 or 8 for floats).
    public var size: Int
    public var type: PCDFieldType
    /// Elements per point (a descriptor such as fpfh has 33).
    public var count: Int
    /// Byte offset of the field inside a binary point record.
    public var offset: Int

    public init(name: String, size: Int, type: PCDFieldType, count: Int = 1, offset: Int = 0) {
        self.name = name; self.size = size; self.type = type; self.count = count; self.offset = offset
    }

    /// Fields named `_` are padding: stored in binary records, skipped by readers and by compression.
    public var isPadding: Bool { name == "_" }
    public var byteCount: Int { size * count }

    /// Whether PCL can hold this TYPE/SIZE pair.
    public static func isValid(type: PCDFieldType, size: Int) -> Bool {
        switch type {
        case .signed, .unsigned: return size == 1 || size == 2 || size == 4 || size == 8
        case .float: return size == 4 || size == 8
        }
    }
}

public enum PCDEncoding: Equatable, Sendable {
    case ascii, binary, binaryCompressed

    public var name: String {
        switch self {
        case .ascii: return "ascii"
        case .binary: return "binary"
        case .binaryCompressed: return "binary_compressed"
        }
    }
}

/// Sensor pose: translation then orientation quaternion (w, x, y, z).
public struct PCDViewpoint: Equatable, Sendable {
    public var tx = 0.0, ty = 0.0, tz = 0.0
    public var qw = 1.0, qx = 0.0, qy = 0.0, qz = 0.0
    public init() {}
    public init(_ values: [Double]) {
        if values.count == 7 {
            tx = values[0]; ty = values[1]; tz = values[2]
            qw = values[3]; qx = values[4]; qy = values[5]; qz = values[6]
        }
    }
    public var values: [Double] { [tx, ty, tz, qw, qx, qy, qz] }
}

public struct PCDHeader: Equatable, Sendable {
    public var version: String
    public var fields: [PCDField]
    public var width: Int
    public var height: Int
    public var viewpoint: PCDViewpoint
    public var points: Int
    public var encoding: PCDEncoding
    /// Byte offset of the first data byte (just past the DATA line's newline).
    public var dataOffset: Int
    /// Bytes of one binary point record, padding included.
    public var pointSize: Int
    /// Header lines before the data, for error messages about ascii data lines.
    public var headerLines: Int

    public var sizes: [Int] { fields.map { $0.size } }
    public var types: [PCDFieldType] { fields.map { $0.type } }
    public var counts: [Int] { fields.map { $0.count } }
    public var isOrganized: Bool { height > 1 }

    /// Index of the first non-padding field called `name`.
    public func fieldIndex(named name: String) -> Int? {
        for (i, f) in fields.enumerated() where !f.isPadding && f.name == name { return i }
        return nil
    }

    /// Values per ascii line: every element of every field, padding included.
    public var valuesPerPoint: Int {
        var n = 0
        for f in fields { n += f.count }
        return n
    }

    /// Bytes per point in the field-major binary_compressed layout, which leaves out padding.
    public var compressedPointSize: Int {
        var n = 0
        for f in fields where !f.isPadding { n += f.byteCount }
        return n
    }

    /// Space-separated field names (padding shown as `_`).
    public var fieldList: String {
        var s = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { s += " " }
            s += f.name
        }
        return s
    }

    public init(version: String = "0.7", fields: [PCDField], width: Int, height: Int = 1,
                viewpoint: PCDViewpoint = PCDViewpoint(), points: Int? = nil,
                encoding: PCDEncoding = .binary, dataOffset: Int = 0) {
        self.version = version
        var laidOut = fields
        var offset = 0
        for i in laidOut.indices {
            laidOut[i].offset = offset
            offset += laidOut[i].byteCount
        }
        self.fields = laidOut
        self.width = width
        self.height = height
        self.viewpoint = viewpoint
        self.points = points ?? width * height
        self.encoding = encoding
        self.dataOffset = dataOffset
        self.pointSize = offset
        self.headerLines = 0
    }

    /// Parses the header at the start of `bytes` (see PCDHeaderParser for the rules).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PCDError) -> PCDHeader {
        var parser = PCDHeaderParser(bytes)
        return try parser.parse()
    }
}
