// Bounds-checked access to a FlatBuffer in place. Every offset read from the file is checked
// against the buffer before it is followed, so a corrupted file yields a ModelError, never an
// out-of-bounds read. Layout facts: root uoffset at 0; a table starts with an soffset to its
// vtable (vtable = table - soffset); a vtable holds its own size, the table's size, then one
// u16 field offset per slot (0 = absent); uoffsets point forward from where they are stored;
// vectors and strings start with a u32 element count.

/// Where a table or field lies, as errors name it ("model.graph.operators[3].options"): kept as parts
/// and spelled out only when an error needs the text. Spelling it for each of a model's thousands of
/// tables and fields cost more than reading them.
struct FBPath: ExpressibleByStringLiteral {
    struct Part {
        let name: StaticString
        let index: Int  // -1: not a vector element
    }
    private var stem: String
    private var parts: (Part?, Part?, Part?) = (nil, nil, nil)

    init(_ stem: String) { self.stem = stem }
    init(stringLiteral stem: String) { self.stem = stem }

    /// This path and one more part: `.name`, or `.name[index]` for a vector element.
    func appending(_ name: StaticString, index: Int = -1) -> FBPath {
        let part = Part(name: name, index: index)
        var p = self
        if p.parts.0 == nil { p.parts.0 = part }
        else if p.parts.1 == nil { p.parts.1 = part }
        else if p.parts.2 == nil { p.parts.2 = part }
        else { p = FBPath(text); p.parts.0 = part }  // deeper than the schema nests, rarely
        return p
    }

    var text: String {
        var out = stem
        for part in [parts.0, parts.1, parts.2] {
            guard let part else { break }
            out += "." + part.name.description
            if part.index >= 0 { out += "[" + String(part.index) + "]" }
        }
        return out
    }
}

struct FBReader {
    let bytes: UnsafeRawBufferPointer
    var count: Int { bytes.count }

    @inline(__always)
    func check(_ at: Int, _ size: Int, _ path: FBPath) throws(ModelError) {
        guard at >= 0, size >= 0, at <= count - size else { throw outside(at, size, path) }
    }

    /// The error of `check`, out of line: it runs for every read of a model.
    @inline(never)
    func outside(_ at: Int, _ size: Int, _ path: FBPath) -> ModelError {
        ModelError("\(path.text): offset \(at) (+\(size) bytes) is outside the \(count)-byte file")
    }

    func u8(_ at: Int, _ path: FBPath) throws(ModelError) -> UInt8 {
        try check(at, 1, path); return bytes[at]
    }
    func u16(_ at: Int, _ path: FBPath) throws(ModelError) -> UInt16 {
        try check(at, 2, path); return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }
    func u32(_ at: Int, _ path: FBPath) throws(ModelError) -> UInt32 {
        try check(at, 4, path); return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    func i32(_ at: Int, _ path: FBPath) throws(ModelError) -> Int32 { Int32(bitPattern: try u32(at, path)) }
    func u64(_ at: Int, _ path: FBPath) throws(ModelError) -> UInt64 {
        try check(at, 8, path); return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// Follows the uoffset stored at `at`.
    func follow(_ at: Int, _ path: FBPath) throws(ModelError) -> Int {
        let off = Int(try u32(at, path))
        let (target, o) = at.addingReportingOverflow(off)
        guard !o, target < count else { throw ModelError("\(path.text): reference \(off) at \(at) points past the end of the file") }
        return target
    }

    /// A vector's element count and first element, with `elementSize * count` checked to fit.
    func vector(at: Int, elementSize: Int, _ path: FBPath) throws(ModelError) -> (start: Int, count: Int) {
        guard at % 4 == 0 else { throw ModelError("\(path.text): vector at \(at) is not 4-byte aligned") }
        let n = Int(try u32(at, path))
        let (bytesNeeded, o) = n.multipliedReportingOverflow(by: elementSize)
        guard !o, bytesNeeded <= count - (at + 4) else {
            throw ModelError("\(path.text): vector of \(n) elements at \(at) runs past the end of the file")
        }
        return (at + 4, n)
    }
}

struct FBTable {
    let r: FBReader
    let pos: Int
    let vtable: Int
    let vtableSize: Int
    let tableSize: Int
    let location: FBPath
    /// For error messages.
    var path: String { location.text }

    init(_ r: FBReader, at pos: Int, path location: FBPath) throws(ModelError) {
        guard pos % 4 == 0 else { throw ModelError("\(location.text): table at \(pos) is not 4-byte aligned") }
        let soffset = Int(try r.i32(pos, location))
        let vt = pos - soffset
        guard vt >= 0, vt % 2 == 0, vt <= r.count - 4 else {
            throw ModelError("\(location.text): vtable offset \(soffset) from table at \(pos) is out of bounds")
        }
        let vts = Int(try r.u16(vt, location)), ts = Int(try r.u16(vt + 2, location))
        guard vts >= 4, vts % 2 == 0, vt + vts <= r.count else {
            throw ModelError("\(location.text): vtable at \(vt) has bad size \(vts)")
        }
        guard ts >= 4, pos + ts <= r.count else {
            throw ModelError("\(location.text): table at \(pos) of \(ts) bytes runs past the end of the file")
        }
        self.r = r; self.pos = pos; self.vtable = vt; self.vtableSize = vts; self.tableSize = ts; self.location = location
    }

    /// Absolute position of field `slot` of `size` bytes, nil when absent.
    func field(_ slot: Int, size: Int) throws(ModelError) -> Int? {
        let entry = 4 + 2 * slot
        if entry + 2 > vtableSize { return nil }
        let off = Int(try r.u16(vtable + entry, location))
        if off == 0 { return nil }
        guard off >= 4, off + size <= tableSize else {
            throw ModelError("\(path): field \(slot) at offset \(off) lies outside its \(tableSize)-byte table")
        }
        return pos + off
    }

    func u8(_ slot: Int, _ def: UInt8) throws(ModelError) -> UInt8 {
        guard let at = try field(slot, size: 1) else { return def }
        return try r.u8(at, location)
    }
    func bool(_ slot: Int, _ def: Bool) throws(ModelError) -> Bool { try u8(slot, def ? 1 : 0) != 0 }
    func i8(_ slot: Int, _ def: Int8) throws(ModelError) -> Int8 { Int8(bitPattern: try u8(slot, UInt8(bitPattern: def))) }
    func u16(_ slot: Int, _ def: UInt16) throws(ModelError) -> UInt16 {
        guard let at = try field(slot, size: 2) else { return def }
        return try r.u16(at, location)
    }
    func i32(_ slot: Int, _ def: Int32) throws(ModelError) -> Int32 {
        guard let at = try field(slot, size: 4) else { return def }
        return try r.i32(at, location)
    }
    func u32(_ slot: Int, _ def: UInt32) throws(ModelError) -> UInt32 {
        guard let at = try field(slot, size: 4) else { return def }
        return try r.u32(at, location)
    }
    func u64(_ slot: Int, _ def: UInt64) throws(ModelError) -> UInt64 {
        guard let at = try field(slot, size: 8) else { return def }
        return try r.u64(at, location)
    }
    func f32(_ slot: Int, _ def: Float) throws(ModelError) -> Float {
        guard let at = try field(slot, size: 4) else { return def }
        return Float(bitPattern: try r.u32(at, location))
    }

    func table(_ slot: Int, _ name: StaticString) throws(ModelError) -> FBTable? {
        guard let at = try field(slot, size: 4) else { return nil }
        let p = location.appending(name)
        return try FBTable(r, at: try r.follow(at, p), path: p)
    }

    func string(_ slot: Int, _ name: StaticString, multiline: Bool = false) throws(ModelError) -> String? {
        guard let at = try field(slot, size: 4) else { return nil }
        let p = location.appending(name)
        return try FBTable.string(r, at: try r.follow(at, p), path: p, multiline: multiline)
    }

    /// A string, which must be valid UTF-8 without control characters (tabs and newlines too
    /// when `multiline`).
    static func string(_ r: FBReader, at: Int, path: FBPath, multiline: Bool = false) throws(ModelError) -> String {
        let (start, n) = try r.vector(at: at, elementSize: 1, path)
        guard try r.u8(start + n, path) == 0 else { throw ModelError("\(path.text): string is not NUL-terminated") }
        let bytes = UnsafeRawBufferPointer(rebasing: r.bytes[start..<(start + n)]).bindMemory(to: UInt8.self)
        if let problem = textProblem(bytes, multiline: multiline) { throw ModelError("\(path.text): \(problem)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func int32Vector(_ slot: Int, _ name: StaticString) throws(ModelError) -> [Int32]? {
        guard let at = try field(slot, size: 4) else { return nil }
        let p = location.appending(name)
        let (start, n) = try r.vector(at: try r.follow(at, p), elementSize: 4, p)
        var out = [Int32](); out.reserveCapacity(n)
        for i in 0..<n { out.append(try r.i32(start + 4 * i, p)) }
        return out
    }

    func floatVector(_ slot: Int, _ name: StaticString) throws(ModelError) -> [Float]? {
        guard let ints = try int32Vector(slot, name) else { return nil }
        var out = [Float](); out.reserveCapacity(ints.count)
        for v in ints { out.append(Float(bitPattern: UInt32(bitPattern: v))) }
        return out
    }

    /// Where the offsets of a vector of tables or strings start, and how many there are.
    private func offsets(_ slot: Int, _ name: StaticString) throws(ModelError) -> (start: Int, count: Int)? {
        guard let at = try field(slot, size: 4) else { return nil }
        let p = location.appending(name)
        return try r.vector(at: try r.follow(at, p), elementSize: 4, p)
    }

    func tableVector(_ slot: Int, _ name: StaticString) throws(ModelError) -> [FBTable]? {
        guard let (start, n) = try offsets(slot, name) else { return nil }
        var out = [FBTable](); out.reserveCapacity(n)
        for i in 0..<n {
            let ep = location.appending(name, index: i)
            out.append(try FBTable(r, at: try r.follow(start + 4 * i, ep), path: ep))
        }
        return out
    }

    func stringVector(_ slot: Int, _ name: StaticString) throws(ModelError) -> [String]? {
        guard let (start, n) = try offsets(slot, name) else { return nil }
        var out = [String](); out.reserveCapacity(n)
        for i in 0..<n {
            let ep = location.appending(name, index: i)
            out.append(try FBTable.string(r, at: try r.follow(start + 4 * i, ep), path: ep))
        }
        return out
    }
}
