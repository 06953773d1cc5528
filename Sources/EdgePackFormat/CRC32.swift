import CEdgePackSys

/// CRC-32 (IEEE 802.3, as zlib.crc32): the checksum over a model's bytes. With the CPU's CRC32
/// instructions where it has them (aarch64), else a table lookup per byte.
public struct CRC32 {
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        return t
    }()
    static let hardware = ep_crc32_hardware_available() != 0

    public private(set) var state: UInt32 = 0xFFFF_FFFF
    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if CRC32.hardware {
            if let base = bytes.baseAddress { state = ep_crc32_hardware(state, base, bytes.count) }
            return
        }
        var c = state
        CRC32.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }
}
