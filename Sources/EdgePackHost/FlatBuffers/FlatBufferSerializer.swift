/// Writes an FBValue tree as a FlatBuffer. Objects are laid out front to back: a parent is
/// written first with placeholder uoffsets, its children after it (uoffsets must point forward),
/// then the placeholders are patched. Every vtable directly precedes its table.
public struct FlatBufferSerializer {
    public private(set) var bytes: [UInt8] = []

    /// Serializes `root` with a 4-character file identifier.
    public static func serialize(root: FBValue, identifier: String) -> [UInt8] {
        var s = FlatBufferSerializer()
        s.bytes = [0, 0, 0, 0]
        s.bytes.append(contentsOf: Array(identifier.utf8.prefix(4)))
        let at = s.place(root)
        s.patchU32(0, UInt32(at))
        return s.bytes
    }

    mutating func align(_ n: Int) { while bytes.count % n != 0 { bytes.append(0) } }

    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func patchU32(_ at: Int, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { raw in for i in 0..<4 { bytes[at + i] = raw[i] } }
    }

    /// Places `value` at the end and returns its position (table start or vector length word).
    mutating func place(_ value: FBValue) -> Int {
        switch value {
        case .table(let fields): return placeTable(fields)
        case .string(let s):
            align(4)
            let at = bytes.count
            append(UInt32(s.utf8.count))
            bytes.append(contentsOf: Array(s.utf8))
            bytes.append(0)
            return at
        case .int32Vector(let v):
            align(4)
            let at = bytes.count
            append(UInt32(v.count))
            for x in v { append(x) }
            return at
        case .floatVector(let v):
            align(4)
            let at = bytes.count
            append(UInt32(v.count))
            for x in v { append(x.bitPattern) }
            return at
        case .tableVector(let items):
            return placeOffsets(items)
        case .stringVector(let items):
            return placeOffsets(items.map { .string($0) })
        }
    }

    mutating func placeOffsets(_ items: [FBValue]) -> Int {
        align(4)
        let at = bytes.count
        append(UInt32(items.count))
        let slots = bytes.count
        for _ in items { append(UInt32(0)) }
        for (i, item) in items.enumerated() {
            let child = place(item)
            patchU32(slots + 4 * i, UInt32(child - (slots + 4 * i)))
        }
        return at
    }

    mutating func placeTable(_ fields: [FBField?]) -> Int {
        // Largest fields first keeps every field naturally aligned inside an 8-aligned table.
        var offsets = [Int](repeating: 0, count: fields.count)
        var cursor = 4
        for size in [8, 4, 2, 1] {
            for (slot, f) in fields.enumerated() {
                guard let f, f.inlineSize == size else { continue }
                cursor = (cursor + size - 1) / size * size
                offsets[slot] = cursor
                cursor += size
            }
        }
        let tableSize = (cursor + 3) / 4 * 4
        var lastSlot = -1
        for (slot, f) in fields.enumerated() where f != nil { lastSlot = slot }
        let vtableSize = 4 + 2 * (lastSlot + 1)

        // vtable, then padding so that the table starts 8-aligned.
        align(2)
        var vtableAt = bytes.count
        let pad = (8 - (vtableAt + vtableSize) % 8) % 8
        for _ in 0..<pad { bytes.append(0) }
        vtableAt = bytes.count
        append(UInt16(vtableSize))
        append(UInt16(tableSize))
        for slot in 0...max(lastSlot, 0) where lastSlot >= 0 { append(UInt16(fields[slot] == nil ? 0 : offsets[slot])) }
        let tableAt = bytes.count
        precondition(tableAt % 8 == 0)
        bytes.append(contentsOf: [UInt8](repeating: 0, count: tableSize))
        let soffset = Int32(tableAt - vtableAt)
        withUnsafeBytes(of: soffset.littleEndian) { raw in for i in 0..<4 { bytes[tableAt + i] = raw[i] } }
        var refs: [(Int, FBValue)] = []
        for (slot, f) in fields.enumerated() {
            guard let f else { continue }
            let at = tableAt + offsets[slot]
            func put<T: FixedWidthInteger>(_ v: T) {
                withUnsafeBytes(of: v.littleEndian) { raw in for i in 0..<raw.count { bytes[at + i] = raw[i] } }
            }
            switch f {
            case .u8(let v): put(v)
            case .i8(let v): put(v)
            case .bool(let v): put(UInt8(v ? 1 : 0))
            case .u16(let v): put(v)
            case .i32(let v): put(v)
            case .u32(let v): put(v)
            case .u64(let v): put(v)
            case .f32(let v): put(v.bitPattern)
            case .ref(let child): refs.append((at, child))
            }
        }
        for (at, child) in refs {
            let c = place(child)
            patchU32(at, UInt32(c - at))
        }
        return tableAt
    }
}
