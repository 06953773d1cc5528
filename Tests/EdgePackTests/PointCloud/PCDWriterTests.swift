import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// Files from our writer must be read by PCL: PCL converts each to ascii (17 digits) and the text
// must give back exactly the values we wrote (held here as raw bits, not re-read by our reader).

@Suite("PCD writer read back by PCL")
struct PCDWriterTests {
    /// Fields of every type, with padding and COUNT > 1, full 64-bit integer range.
    static let fields: [PCDField] = [
        PCDField(name: "x", size: 4, type: .float), PCDField(name: "y", size: 4, type: .float),
        PCDField(name: "z", size: 4, type: .float), PCDField(name: "_", size: 1, type: .unsigned, count: 4),
        PCDField(name: "rgb", size: 4, type: .float), PCDField(name: "intensity", size: 4, type: .float),
        PCDField(name: "i8", size: 1, type: .signed), PCDField(name: "u8", size: 1, type: .unsigned, count: 3),
        PCDField(name: "i16", size: 2, type: .signed), PCDField(name: "u16", size: 2, type: .unsigned),
        PCDField(name: "i32", size: 4, type: .signed), PCDField(name: "u32", size: 4, type: .unsigned),
        PCDField(name: "i64", size: 8, type: .signed), PCDField(name: "u64", size: 8, type: .unsigned),
        PCDField(name: "normal", size: 8, type: .float, count: 3),
    ]

    /// Random records with special float values; padding bytes left zero as PCL writes them.
    /// `int64Bits` limits 8-byte integers (PCL reads ascii 8-byte integers through a double, so
    /// only values below 2^53 survive its ascii reader; its binary readers keep all 64 bits).
    static func records(_ header: PCDHeader, seed: UInt64, int64Bits: Int = 64) -> [UInt8] {
        var rng = TestRandom(seed)
        var bytes = [UInt8](repeating: 0, count: header.points * header.pointSize)
        let floatSpecials: [UInt32] = [Float.nan.bitPattern, Float.infinity.bitPattern, (-Float.infinity).bitPattern,
                                       (-Float(0)).bitPattern, 1, Float.greatestFiniteMagnitude.bitPattern]
        let doubleSpecials: [UInt64] = [Double.nan.bitPattern, Double.infinity.bitPattern, (-Double(0)).bitPattern, 1,
                                        Double.greatestFiniteMagnitude.bitPattern]
        for p in 0..<header.points {
            for f in header.fields where !f.isPadding {
                for e in 0..<f.count {
                    var v = rng.next()
                    if f.type != .float && f.size == 8 && int64Bits < 64 {
                        v >>= UInt64(64 - int64Bits)
                        if f.type == .signed && rng.below(2) == 0 { v = 0 &- v }
                    }
                    if f.type == .float && f.size == 4 {
                        let special = rng.below(7) == 0
                        v = UInt64(special ? floatSpecials[rng.below(floatSpecials.count)] : UInt32(truncatingIfNeeded: v))
                        if Float(bitPattern: UInt32(v)).isNaN { v = UInt64(Float.nan.bitPattern) }
                    } else if f.type == .float {
                        if rng.below(7) == 0 { v = doubleSpecials[rng.below(doubleSpecials.count)] }
                        if Double(bitPattern: v).isNaN { v = Double.nan.bitPattern }
                    }
                    let at = p * header.pointSize + f.offset + e * f.size
                    for k in 0..<f.size { bytes[at + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) }
                }
            }
        }
        return bytes
    }

    /// PCL's ascii text of our file must hold the bits we wrote.
    func expectPCLReads(_ ref: ReferenceAscii, _ header: PCDHeader, _ records: [UInt8], _ context: String) {
        let named = header.fields.filter { !$0.isPadding }
        #expect(ref.fields == named.map { $0.name }, "\(context): fields")
        #expect(ref.points == header.points && ref.width == header.width && ref.height == header.height, "\(context): size")
        #expect(ref.viewpoint == header.viewpoint.values, "\(context): viewpoint")
        guard ref.fields.count == named.count, ref.points == header.points else { return }
        var mismatches = 0
        for p in 0..<header.points {
            var t = 0
            for (k, f) in named.enumerated() {
                for e in 0..<f.count {
                    let token = ref.tokens[p][t]
                    t += 1
                    var ours: UInt64 = 0
                    let at = p * header.pointSize + f.offset + e * f.size
                    for b in 0..<f.size { ours |= UInt64(records[at + b]) << UInt64(8 * b) }
                    guard let expected = ReferenceAscii.bits(token, type: ref.types[k], size: ref.sizes[k]) else {
                        Issue.record("\(context): PCL token '\(token)' unreadable"); return
                    }
                    let ok = expected.isNaN
                        ? (f.size == 4 ? Float(bitPattern: UInt32(ours)).isNaN : Double(bitPattern: ours).isNaN)
                        : expected.bits == ours
                    if !ok {
                        mismatches += 1
                        if mismatches <= 5 { Issue.record("\(context): point \(p) \(f.name)[\(e)] wrote \(ours), PCL read '\(token)'") }
                    }
                }
            }
        }
        #expect(mismatches == 0, "\(context): \(mismatches) values differ")
    }

    @Test("Every field type, organized, padding, NaN/Inf, in all three encodings")
    func allTypes() throws {
        guard PCLTools.available("pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        var vp = PCDViewpoint()
        vp.tx = 1.5; vp.ty = -2; vp.tz = 0.25; vp.qw = 0.5; vp.qx = 0.5; vp.qy = -0.5; vp.qz = 0.5
        let header = PCDWriter.header(fields: Self.fields, width: 9, height: 4, viewpoint: vp)
        let records = Self.records(header, seed: 99)
        let records53 = Self.records(header, seed: 99, int64Bits: 53)
        for encoding in [PCDEncoding.ascii, .binary, .binaryCompressed] {
            let data = encoding == .ascii ? records53 : records
            let ours = dir.file("ours-\(encoding.name).pcd"), back = dir.file("back-\(encoding.name).pcd")
            try writeBytes(try PCDWriter.encode(header: header, records: data, encoding: encoding), ours)
            try PCLTools.convert(ours, back, mode: 0)
            expectPCLReads(try ReferenceAscii(path: back), header, data, "our \(encoding.name)")
        }
        // Our ascii text itself holds full 64-bit integers exactly (read here by the test's own parser).
        let fullAscii = try PCDWriter.encode(header: header, records: records, encoding: .ascii)
        expectPCLReads(try ReferenceAscii(text: String(decoding: fullAscii, as: UTF8.self)), header, records,
                       "our ascii text, full 64-bit range")
        // PCL's binary records of our compressed file equal ours, padding skipped.
        let fromCompressed = dir.file("pcl-binary.pcd")
        try PCLTools.convert(dir.file("ours-binary_compressed.pcd"), fromCompressed, mode: 1)
        let refBinary = try ReferenceBinary(path: fromCompressed)
        let named = header.fields.enumerated().filter { !$0.element.isPadding }
        #expect(refBinary.fields == named.map { $0.element.name })
        var differing = 0
        for p in 0..<header.points {
            for (k, (fi, f)) in named.enumerated() {
                for e in 0..<f.count {
                    let at = p * header.pointSize + header.fields[fi].offset + e * f.size
                    var ours: UInt64 = 0
                    for b in 0..<f.size { ours |= UInt64(records[at + b]) << UInt64(8 * b) }
                    if ours != refBinary.bits(point: p, field: k, element: e) { differing += 1 }
                }
            }
        }
        #expect(differing == 0)
    }

    @Test("LZF edge cases through PCL: runs longer than a reference, incompressible data, long clouds")
    func compressionShapes() throws {
        guard PCLTools.available("pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        var rng = TestRandom(3)
        let shapes: [(String, Int, (Int) -> Float)] = [
            ("zeros", 5000, { _ in 0 }),
            ("constant", 3000, { _ in 1.25 }),
            ("random", 4000, { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF) }),
            ("ramp", 20000, { i in Float(i % 700) * 0.5 }),
            ("one", 1, { _ in -3 }),
        ]
        for (name, n, value) in shapes {
            var xyz: [Float] = []
            for i in 0..<(n * 3) { xyz.append(value(i)) }
            let ours = dir.file("\(name).pcd"), back = dir.file("\(name)-ascii.pcd")
            try writeBytes(PCDWriter.encodeXYZ(xyz, encoding: .binaryCompressed), ours)
            try PCLTools.convert(ours, back, mode: 0)
            let ref = try ReferenceAscii(path: back)
            #expect(ref.points == n, "\(name)")
            var bad = 0
            for p in 0..<min(n, ref.points) {
                for c in 0..<3 where Float(ref.tokens[p][c])!.bitPattern != xyz[p * 3 + c].bitPattern { bad += 1 }
            }
            #expect(bad == 0, "\(name): \(bad) values differ after PCL decompressed our LZF")
        }
    }

    @Test("Our LZF decoder inverts our compressor on many shapes (consistency, besides PCL)")
    func lzfRoundTrip() throws {
        var rng = TestRandom(11)
        for trial in 0..<300 {
            let n = rng.below(trial < 20 ? 40 : 20000)
            var input = [UInt8](repeating: 0, count: n)
            let alphabet = 1 + rng.below(trial % 3 == 0 ? 256 : 4)
            var i = 0
            while i < n {
                if rng.below(4) == 0, i > 0 {
                    // Copy an earlier stretch, sometimes overlapping the current position.
                    let from = rng.below(i), len = min(n - i, 1 + rng.below(400))
                    for k in 0..<len { input[i + k] = input[from + k] }
                    i += len
                } else {
                    input[i] = UInt8(rng.below(alphabet)); i += 1
                }
            }
            let packed = LZFCompressor.compress(input)
            let unpacked = try packed.withUnsafeBytes { try LZF.decompress($0, size: n) }
            #expect(unpacked == input, "trial \(trial), \(n) bytes")
        }
    }

    @Test("encode(values:) stores converted values and refuses ones that do not fit")
    func valueConversion() throws {
        let header = PCDWriter.header(fields: [PCDField(name: "a", size: 1, type: .unsigned),
                                               PCDField(name: "b", size: 2, type: .signed),
                                               PCDField(name: "c", size: 8, type: .float)], width: 2)
        let bytes = try PCDWriter.encode(header: header, values: [255, -32768, 0.1, 0, 32767, -1e300], encoding: .ascii)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("DATA ascii\n255 -32768 0.1\n0 32767 -1e+300\n"))
        #expect(throws: PCDWriteError.self) { try PCDWriter.encode(header: header, values: [256, 0, 0, 0, 0, 0], encoding: .binary) }
        #expect(throws: PCDWriteError.self) { try PCDWriter.encode(header: header, values: [1.5, 0, 0, 0, 0, 0], encoding: .binary) }
        #expect(throws: PCDWriteError.self) { try PCDWriter.encode(header: header, values: [0, 0, 0], encoding: .binary) }
    }
}
