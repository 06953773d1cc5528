// A decoded PCD file: the header plus typed access to every value, whichever the encoding.
// binary data is read in place from the caller's bytes (no copy); binary_compressed is
// decompressed once and kept field-major; ascii is parsed once into binary point records.

/// The concrete element type of a field (TYPE and SIZE together).
public enum PCDValueKind: Equatable, Sendable {
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

    public init(type: PCDFieldType, size: Int) {
        switch (type, size) {
        case (.signed, 1): self = .int8
        case (.signed, 2): self = .int16
        case (.signed, 4): self = .int32
        case (.signed, _): self = .int64
        case (.unsigned, 1): self = .uint8
        case (.unsigned, 2): self = .uint16
        case (.unsigned, 4): self = .uint32
        case (.unsigned, _): self = .uint64
        case (.float, 4): self = .float32
        case (.float, _): self = .float64
        }
    }

    public var isFloat: Bool { self == .float32 || self == .float64 }
}

public struct PCDCloud {
    enum Storage {
        /// binary: a view into the caller's bytes, which must outlive the cloud.
        case borrowed(UnsafeRawBufferPointer)
        case owned([UInt8])
    }

    public let header: PCDHeader
    let storage: Storage
    /// Per field: byte offset of point 0's first element in the storage, and bytes from one point to
    /// the next. Point-major data has stride pointSize; field-major data has stride = field bytes.
    let fieldBase: [Int]
    let fieldStride: [Int]
    let kinds: [PCDValueKind]

    init(header: PCDHeader, storage: Storage, fieldBase: [Int], fieldStride: [Int]) {
        self.header = header
        self.storage = storage
        self.fieldBase = fieldBase
        self.fieldStride = fieldStride
        self.kinds = header.fields.map { PCDValueKind(type: $0.type, size: $0.size) }
    }

    public var pointCount: Int { header.points }

    /// Runs `body` over the decoded data bytes (the file's own bytes for binary).
    public func withDataBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case .borrowed(let raw): return body(raw)
        case .owned(let array): return array.withUnsafeBytes { body($0) }
        }
    }

    @inline(__always) func location(_ point: Int, _ field: Int, _ element: Int) -> Int {
        fieldBase[field] + point * fieldStride[field] + element * header.fields[field].size
    }

    func checkIndex(_ point: Int, _ field: Int, _ element: Int) {
        precondition(point >= 0 && point < header.points, "point index out of range")
        precondition(field >= 0 && field < header.fields.count, "field index out of range")
        precondition(!header.fields[field].isPadding, "padding fields hold no values")
        precondition(element >= 0 && element < header.fields[field].count, "element index out of range")
    }

    /// The raw bits of one element, zero-extended (exact for every type, including 64-bit integers).
    public func bits(point: Int, field: Int, element: Int = 0) -> UInt64 {
        checkIndex(point, field, element)
        let at = location(point, field, element)
        let size = header.fields[field].size
        return withDataBytes { raw in PCDCloud.loadBits(raw, at, size) }
    }

    /// One element as Double (exact for all types except 64-bit integers beyond 2^53).
    public func double(point: Int, field: Int, element: Int = 0) -> Double {
        checkIndex(point, field, element)
        let at = location(point, field, element)
        let kind = kinds[field]
        return withDataBytes { raw in PCDCloud.loadDouble(raw, at, kind) }
    }

    /// One element as Float (float64 and wide integers are rounded to nearest).
    public func float(point: Int, field: Int, element: Int = 0) -> Float {
        checkIndex(point, field, element)
        let at = location(point, field, element)
        let kind = kinds[field]
        return withDataBytes { raw in PCDCloud.loadFloat(raw, at, kind) }
    }

    @inline(__always) static func loadBits(_ raw: UnsafeRawBufferPointer, _ at: Int, _ size: Int) -> UInt64 {
        switch size {
        case 1: return UInt64(raw[at])
        case 2: return UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        case 4: return UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        default: return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
    }

    @inline(__always) static func loadDouble(_ raw: UnsafeRawBufferPointer, _ at: Int, _ kind: PCDValueKind) -> Double {
        switch kind {
        case .int8: return Double(Int8(bitPattern: raw[at]))
        case .uint8: return Double(raw[at])
        case .int16: return Double(Int16(bitPattern: UInt16(loadBits(raw, at, 2))))
        case .uint16: return Double(loadBits(raw, at, 2))
        case .int32: return Double(Int32(bitPattern: UInt32(loadBits(raw, at, 4))))
        case .uint32: return Double(loadBits(raw, at, 4))
        case .int64: return Double(Int64(bitPattern: loadBits(raw, at, 8)))
        case .uint64: return Double(loadBits(raw, at, 8))
        case .float32: return Double(Float(bitPattern: UInt32(loadBits(raw, at, 4))))
        case .float64: return Double(bitPattern: loadBits(raw, at, 8))
        }
    }

    @inline(__always) static func loadFloat(_ raw: UnsafeRawBufferPointer, _ at: Int, _ kind: PCDValueKind) -> Float {
        switch kind {
        case .int8: return Float(Int8(bitPattern: raw[at]))
        case .uint8: return Float(raw[at])
        case .int16: return Float(Int16(bitPattern: UInt16(loadBits(raw, at, 2))))
        case .uint16: return Float(loadBits(raw, at, 2))
        case .int32: return Float(Int32(bitPattern: UInt32(loadBits(raw, at, 4))))
        case .uint32: return Float(loadBits(raw, at, 4))
        case .int64: return Float(Int64(bitPattern: loadBits(raw, at, 8)))
        case .uint64: return Float(loadBits(raw, at, 8))
        case .float32: return Float(bitPattern: UInt32(loadBits(raw, at, 4)))
        case .float64: return Float(Double(bitPattern: loadBits(raw, at, 8)))
        }
    }
}
