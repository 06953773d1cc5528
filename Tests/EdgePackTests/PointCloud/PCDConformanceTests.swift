import Foundation
import Testing
@testable import EdgePackPointCloud

// Files written by PCL's own tools must read exactly as PCL itself prints them. Two references,
// both PCL's: its ascii output at 17 significant digits (exact for float and double) for the
// files we read in binary or compressed form, and the raw records of its binary output for the
// ascii files we parse (so PCL, not our reader, decides what the text means).

@Suite("PCD conformance with PCL")
struct PCDConformanceTests {
    /// Reads `base` in the given file and in PCL's ascii, binary and compressed conversions of it,
    /// comparing each with PCL's ascii (17 digits) and binary records. Returns the ascii reference.
    @discardableResult
    func checkAllEncodings(_ source: String, _ dir: TestDirectory, _ name: String) throws -> ReferenceAscii {
        let ascii = dir.file(name + "-ascii.pcd"), binary = dir.file(name + "-binary.pcd"),
            compressed = dir.file(name + "-compressed.pcd")
        try PCLTools.convert(source, ascii, mode: 0)
        try PCLTools.convert(source, binary, mode: 1)
        try PCLTools.convert(source, compressed, mode: 2)
        let refAscii = try ReferenceAscii(path: ascii)
        let refBinary = try ReferenceBinary(path: binary)

        expectSame(try readCloud(try readBytes(source)), refAscii, name + " as PCL wrote it")
        expectSame(try readCloud(try readBytes(binary)), refAscii, name + " binary")
        expectSame(try readCloud(try readBytes(compressed)), refAscii, name + " binary_compressed")
        expectSame(try readCloud(try readBytes(ascii)), refBinary, name + " ascii (vs PCL's binary records)")
        // The encodings PCL chose for each file, so the test is known to cover all three.
        #expect(try readCloud(try readBytes(binary)).header.encoding == .binary)
        #expect(try readCloud(try readBytes(compressed)).header.encoding == .binaryCompressed)
        #expect(try readCloud(try readBytes(ascii)).header.encoding == .ascii)
        return refAscii
    }

    @Test("pcl_generate clouds (uniform and normal, up to 60000 points)")
    func generated() throws {
        guard PCLTools.available("pcl_generate", "pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        let small = dir.file("uniform.pcd")
        try PCLTools.run("pcl_generate", [small, "-size", "2000", "-xmin", "-5", "-xmax", "5", "-zmin", "-1e-3", "-zmax", "1e6"], creates: small)
        #expect(try readCloud(try readBytes(small)).header.encoding == .binaryCompressed)
        try checkAllEncodings(small, dir, "uniform")

        // Big enough that LZF references reach the 8 KiB window and long matches occur.
        let big = dir.file("normal.pcd")
        try PCLTools.run("pcl_generate", [big, "-distribution", "normal", "-size", "60000", "-xstddev", "100"], creates: big)
        let ref = try checkAllEncodings(big, dir, "normal")
        #expect(ref.points == 60000)
    }

    @Test("pcl_pcd_introduce_nan: NaN points and the rgba field it adds")
    func withNaN() throws {
        guard PCLTools.available("pcl_generate", "pcl_convert_pcd_ascii_binary", "pcl_pcd_introduce_nan") else { return }
        let dir = TestDirectory()
        let gen = dir.file("g.pcd"), nan = dir.file("nan.pcd")
        try PCLTools.run("pcl_generate", [gen, "-size", "3000"], creates: gen)
        try PCLTools.run("pcl_pcd_introduce_nan", [gen, nan, "30"], creates: nan)
        let ref = try checkAllEncodings(nan, dir, "nan")
        #expect(ref.hasNaN, "introduce_nan produced no NaN; the test would not cover them")
        #expect(ref.fields.contains("rgba"))

        // The valid-point selection agrees with PCL's text: rows without "nan" in x y z.
        let validInReference = ref.tokens.filter { !$0[0..<3].contains("nan") }.count
        let bytes = try readBytes(dir.file("nan-compressed.pcd"))
        let rows = try bytes.withUnsafeBytes { raw in
            try PCDReader.read(raw).floatMatrix(fields: ["x", "y", "z"], dropInvalid: true).rows
        }
        #expect(rows == validInReference)
    }

    @Test("Every TYPE/SIZE, COUNT > 1, padding, comments, organized cloud, NaN/Inf, extra fields")
    func allTypes() throws {
        guard PCLTools.available("pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        let source = dir.file("types.pcd")
        let text = AllTypesCloud.text(width: 7, height: 5, seed: 20240611)
        try writeText(text, source)
        let ref = try checkAllEncodings(source, dir, "types")
        #expect(ref.hasNaN)
        #expect(ref.height == 5 && ref.width == 7)
        // Our reading of the hand-written text agrees with PCL's reading of it (its binary records).
        let refBinary = try ReferenceBinary(path: dir.file("types-binary.pcd"))
        expectSame(try readCloud(Array(text.utf8)), refBinary, "hand-written ascii")
        #expect(refBinary.fields.contains("_"), "PCL's binary records keep the padding")
    }

    @Test("pcl_ply2pcd: normals, intensity and rgb")
    func fromPLY() throws {
        guard PCLTools.available("pcl_ply2pcd", "pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        var rng = TestRandom(7)
        var ply = "ply\nformat ascii 1.0\nelement vertex 500\n"
        for p in ["x", "y", "z", "nx", "ny", "nz", "intensity"] { ply += "property float \(p)\n" }
        ply += "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"
        for _ in 0..<500 {
            var row: [String] = []
            for _ in 0..<7 { row.append(String(Float(rng.unit() * 20 - 10))) }
            for _ in 0..<3 { row.append(String(rng.below(256))) }
            ply += row.joined(separator: " ") + "\n"
        }
        let plyPath = dir.file("cloud.ply"), pcd = dir.file("cloud.pcd")
        try writeText(ply, plyPath)
        try PCLTools.run("pcl_ply2pcd", [plyPath, pcd], creates: pcd)
        let ref = try checkAllEncodings(pcd, dir, "ply")
        #expect(ref.fields.contains("normal_x") && ref.fields.contains("intensity") && ref.fields.contains("rgb"))
    }

    @Test("pcl_mesh_sampling output")
    func meshSampling() throws {
        guard PCLTools.available("pcl_mesh_sampling", "pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        // A unit cube as a PLY mesh.
        var ply = "ply\nformat ascii 1.0\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\n"
        ply += "element face 12\nproperty list uchar int vertex_indices\nend_header\n"
        for i in 0..<8 { ply += "\(i & 1) \((i >> 1) & 1) \((i >> 2) & 1)\n" }
        for f in [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]] {
            ply += "3 \(f[0]) \(f[1]) \(f[2])\n"
        }
        let plyPath = dir.file("cube.ply"), pcd = dir.file("cube.pcd")
        try writeText(ply, plyPath)
        try PCLTools.run("pcl_mesh_sampling", [plyPath, pcd, "-n_samples", "4000", "-leaf_size", "0.01", "-no_vis_result"], creates: pcd)
        let ref = try checkAllEncodings(pcd, dir, "mesh")
        #expect(ref.points > 1000)
    }
}

/// Text of an ascii PCD file exercising every field type PCL handles, for PCL to convert.
/// 64-bit integers stay within ±2^53: PCL reads ascii integers of 8 bytes through a double.
enum AllTypesCloud {
    static let fields: [(name: String, type: String, size: Int, count: Int)] = [
        ("x", "F", 4, 1), ("y", "F", 4, 1), ("z", "F", 4, 1), ("_", "U", 1, 3),
        ("rgb", "F", 4, 1), ("intensity", "F", 4, 1), ("normal_x", "F", 4, 1),
        ("i8", "I", 1, 1), ("u8", "U", 1, 2), ("i16", "I", 2, 1), ("u16", "U", 2, 1),
        ("i32", "I", 4, 1), ("u32", "U", 4, 1), ("i64", "I", 8, 1), ("u64", "U", 8, 1),
        ("d", "F", 8, 2), ("desc", "I", 2, 5), ("_", "U", 1, 2),
    ]

    static func text(width: Int, height: Int, seed: UInt64) -> String {
        var rng = TestRandom(seed)
        var t = "# .PCD v0.7 - written by the EdgePack tests\nVERSION 0.7\n"
        t += "FIELDS " + fields.map { $0.name }.joined(separator: " ") + "\n"
        t += "SIZE " + fields.map { String($0.size) }.joined(separator: " ") + "\n"
        t += "# a comment between header entries\n"
        t += "TYPE " + fields.map { $0.type }.joined(separator: " ") + "\n"
        t += "COUNT " + fields.map { String($0.count) }.joined(separator: " ") + "\n"
        t += "WIDTH \(width)\nHEIGHT \(height)\nVIEWPOINT 0.5 -1 2 0.7071068 0 0.7071068 0\n"
        t += "POINTS \(width * height)\nDATA ascii\n"
        for p in 0..<(width * height) {
            var row: [String] = []
            for f in fields {
                for _ in 0..<f.count { row.append(value(f.name, f.type, f.size, p, &rng)) }
            }
            t += row.joined(separator: " ") + "\n"
        }
        return t
    }

    static func value(_ name: String, _ type: String, _ size: Int, _ p: Int, _ rng: inout TestRandom) -> String {
        if name == "_" { return "0" }
        switch (type, size) {
        case ("F", 4):
            // Specials on a few points; otherwise values across the float range.
            let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, .greatestFiniteMagnitude,
                                     .leastNormalMagnitude, 1e-40, .leastNonzeroMagnitude]
            if name == "rgb" { return String(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x00FF_FFFF | 0x3F00_0000)) }
            if rng.below(6) == 0 { return String(specials[rng.below(specials.count)]) }
            let v = Float(rng.unit() * 2 - 1) * Float(sign: .plus, exponent: rng.below(80) - 40, significand: 1)
            return String(v)
        case ("F", _):
            if rng.below(8) == 0 { return ["nan", "inf", "-inf", "1e300", "-2.2250738585072014e-308"][rng.below(5)] }
            return String((rng.unit() * 2 - 1) * pow(10.0, Double(rng.below(60) - 30)))
        case ("I", _):
            let bits = size == 8 ? 54 : size * 8
            let v = Int64(bitPattern: rng.next() >> UInt64(64 - bits + 1)) * (rng.below(2) == 0 ? 1 : -1)
            let extremes: [Int64] = size == 8 ? [-(1 << 53), 1 << 53] : [-(1 << Int64(size * 8 - 1)), (1 << Int64(size * 8 - 1)) - 1]
            return String(p % 9 == 0 ? extremes[p % 2] : v)
        default:
            let bits = size == 8 ? 53 : size * 8
            let v = rng.next() >> UInt64(64 - bits)
            return String(p % 11 == 0 ? (size == 8 ? UInt64(1) << 53 : (UInt64(1) << UInt64(bits)) - 1) : v)
        }
    }
}
