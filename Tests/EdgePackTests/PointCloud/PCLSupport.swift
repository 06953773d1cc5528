import Foundation
import Testing
@testable import EdgePackPointCloud

// Helpers for checking our PCD code against PCL itself (Debian package pcl-tools):
// running PCL's programs, and two small readers written independently of the code under test —
// one for the ascii text PCL writes, one for the raw records of PCL's binary files.

enum PCLTools {
    static func path(_ name: String) -> String? {
        let p = "/usr/bin/" + name
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    /// True when every tool exists; otherwise prints why the test is skipped.
    static func available(_ names: String..., test: String = #function) -> Bool {
        let missing = names.filter { path($0) == nil }
        if missing.isEmpty { return true }
        print("SKIP \(test): PCL tools missing: \(missing.joined(separator: ", ")) (apt-get install pcl-tools)")
        return false
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a PCL tool; throws with its output when it fails or writes no output file.
    @discardableResult
    static func run(_ name: String, _ args: [String], creates output: String? = nil) throws -> String {
        guard let exe = path(name) else { throw Failure(description: "\(name) not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 {
            throw Failure(description: "\(name) \(args.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        if let output, !FileManager.default.fileExists(atPath: output) {
            throw Failure(description: "\(name) wrote no \(output): \(text)")
        }
        // PCL tools print "[pcl::...] ..." errors yet may exit 0.
        if text.contains("ERROR") || text.contains("Error") {
            throw Failure(description: "\(name) reported: \(text)")
        }
        return text
    }

    /// pcl_convert_pcd_ascii_binary: mode 0 ascii (with `precision` digits), 1 binary, 2 binary_compressed.
    static func convert(_ input: String, _ output: String, mode: Int, precision: Int = 17) throws {
        try run("pcl_convert_pcd_ascii_binary", [input, output, String(mode), String(precision)], creates: output)
    }
}

/// A fresh directory removed when the value goes away.
final class TestDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "edgepack-pcd-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

func readBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
func writeBytes(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
func writeText(_ text: String, _ path: String) throws { try writeBytes(Array(text.utf8), path) }

/// Reads a PCD file with the code under test.
func readCloud(_ bytes: [UInt8]) throws -> PCDCloudCopy {
    try bytes.withUnsafeBytes { raw in
        do throws(PCDError) {
            let cloud = try PCDReader.read(raw)
            return PCDCloudCopy(cloud)
        } catch {
            throw PCLTools.Failure(description: error.description)
        }
    }
}

/// Everything a test compares, copied out while the file bytes are alive.
struct PCDCloudCopy {
    let header: PCDHeader
    /// bits[point][fieldIndex][element], padding fields empty.
    let bits: [[[UInt64]]]
    init(_ cloud: PCDCloud) {
        header = cloud.header
        var all: [[[UInt64]]] = []
        for p in 0..<cloud.pointCount {
            var row: [[UInt64]] = []
            for (fi, f) in cloud.header.fields.enumerated() {
                row.append(f.isPadding ? [] : (0..<f.count).map { cloud.bits(point: p, field: fi, element: $0) })
            }
            all.append(row)
        }
        bits = all
    }
    /// Non-padding fields with their indices.
    var namedFields: [(index: Int, field: PCDField)] {
        header.fields.enumerated().filter { !$0.element.isPadding }.map { ($0.offset, $0.element) }
    }
}

/// Independent reader of the ascii PCD text PCL writes: header entries split on spaces, one
/// line of tokens per point, padding fields dropped (PCL never writes them in ascii).
struct ReferenceAscii {
    var fields: [String] = []
    var sizes: [Int] = []
    var types: [String] = []
    var counts: [Int] = []
    var width = 0, height = 0, points = 0
    var viewpoint: [Double] = []
    /// tokens[point] = every element of every field, in order.
    var tokens: [[Substring]] = []

    init(text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.first {
            lines = lines.dropFirst()
            let parts = line.split(separator: " ")
            guard let key = parts.first, !key.hasPrefix("#") else { continue }
            let values = parts.dropFirst().map(String.init)
            switch key {
            case "FIELDS": fields = values
            case "SIZE": sizes = values.map { Int($0)! }
            case "TYPE": types = values
            case "COUNT": counts = values.map { Int($0)! }
            case "WIDTH": width = Int(values[0])!
            case "HEIGHT": height = Int(values[0])!
            case "POINTS": points = Int(values[0])!
            case "VIEWPOINT": viewpoint = values.map { Double($0)! }
            case "DATA":
                guard values == ["ascii"] else { throw PCLTools.Failure(description: "reference is not ascii") }
                tokens = lines.filter { !$0.isEmpty }.map { $0.split(separator: " ") }
                guard tokens.count == points else {
                    throw PCLTools.Failure(description: "reference has \(tokens.count) lines for \(points) points")
                }
                return
            default: break
            }
        }
        throw PCLTools.Failure(description: "reference has no DATA line")
    }

    init(path: String) throws {
        try self.init(text: String(decoding: try readBytes(path), as: UTF8.self))
    }

    var hasNaN: Bool { tokens.contains { $0.contains { $0 == "nan" } } }

    /// The element's expected bits from its text, for the given type letter and size.
    static func bits(_ token: Substring, type: String, size: Int) -> (bits: UInt64, isNaN: Bool)? {
        switch type {
        case "F":
            if size == 4 {
                guard let v = Float(token) else { return nil }
                return (UInt64(v.bitPattern), v.isNaN)
            }
            guard let v = Double(token) else { return nil }
            return (v.bitPattern, v.isNaN)
        case "I":
            guard let v = Int64(token) else { return nil }
            let mask: UInt64 = size == 8 ? .max : (1 << UInt64(size * 8)) - 1
            return (UInt64(bitPattern: v) & mask, false)
        default:
            guard let v = UInt64(token) else { return nil }
            return (v, false)
        }
    }
}

/// Independent reader of the point records in a PCL binary file (not compressed): the record
/// layout is recomputed here from SIZE and COUNT, padding included.
struct ReferenceBinary {
    var fields: [String] = []
    var sizes: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var recordSize = 0
    var points = 0
    var data: [UInt8] = []

    init(path: String) throws {
        let bytes = try readBytes(path)
        var pos = 0
        while pos < bytes.count {
            guard let nl = bytes[pos...].firstIndex(of: 0x0A) else { break }
            let line = String(decoding: bytes[pos..<nl], as: UTF8.self)
            pos = nl + 1
            let parts = line.split(separator: " ").map(String.init)
            guard let key = parts.first else { continue }
            switch key {
            case "FIELDS": fields = Array(parts.dropFirst())
            case "SIZE": sizes = parts.dropFirst().map { Int($0)! }
            case "COUNT": counts = parts.dropFirst().map { Int($0)! }
            case "POINTS": points = Int(parts[1])!
            case "DATA":
                guard parts[1] == "binary" else { throw PCLTools.Failure(description: "reference is not binary") }
                var o = 0
                for i in 0..<fields.count { offsets.append(o); o += sizes[i] * counts[i] }
                recordSize = o
                data = Array(bytes[pos..<(pos + points * recordSize)])
                return
            default: break
            }
        }
        throw PCLTools.Failure(description: "reference has no DATA line")
    }

    func bits(point: Int, field: Int, element: Int) -> UInt64 {
        let at = point * recordSize + offsets[field] + element * sizes[field]
        var v: UInt64 = 0
        for k in 0..<sizes[field] { v |= UInt64(data[at + k]) << UInt64(8 * k) }
        return v
    }
}

/// Compares a cloud read by us with PCL's ascii text of the same cloud, element by element.
/// NaN matches any NaN (PCL prints every NaN as "nan").
func expectSame(_ cloud: PCDCloudCopy, _ ref: ReferenceAscii, _ context: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    let named = cloud.namedFields
    #expect(named.map { $0.field.name } == ref.fields, "\(context): field names", sourceLocation: sourceLocation)
    #expect(named.map { $0.field.size } == ref.sizes, "\(context): sizes", sourceLocation: sourceLocation)
    #expect(named.map { $0.field.count } == ref.counts, "\(context): counts", sourceLocation: sourceLocation)
    #expect(cloud.header.points == ref.points && cloud.header.width == ref.width && cloud.header.height == ref.height,
            "\(context): dimensions", sourceLocation: sourceLocation)
    guard named.count == ref.fields.count, cloud.header.points == ref.points else { return }
    var mismatches = 0
    for p in 0..<ref.points {
        var t = 0
        for (k, (index, field)) in named.enumerated() {
            for e in 0..<field.count {
                let token = ref.tokens[p][t]
                t += 1
                guard let expected = ReferenceAscii.bits(token, type: ref.types[k], size: ref.sizes[k]) else {
                    Issue.record("\(context): reference token '\(token)' unreadable", sourceLocation: sourceLocation)
                    return
                }
                let ours = cloud.bits[p][index][e]
                let ok: Bool
                if expected.isNaN {
                    ok = field.size == 4 ? Float(bitPattern: UInt32(ours)).isNaN : Double(bitPattern: ours).isNaN
                } else {
                    ok = ours == expected.bits
                }
                if !ok {
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record("\(context): point \(p) \(field.name)[\(e)] is \(ours), PCL wrote '\(token)'",
                                     sourceLocation: sourceLocation)
                    }
                }
            }
        }
    }
    #expect(mismatches == 0, "\(context): \(mismatches) mismatching values", sourceLocation: sourceLocation)
}

/// Compares a cloud read by us with the raw records of PCL's binary file (named fields only).
func expectSame(_ cloud: PCDCloudCopy, _ ref: ReferenceBinary, _ context: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    let refNamed = ref.fields.enumerated().filter { $0.element != "_" }
    let named = cloud.namedFields
    #expect(named.map { $0.field.name } == refNamed.map { $0.element }, "\(context): field names", sourceLocation: sourceLocation)
    #expect(cloud.header.points == ref.points, "\(context): points", sourceLocation: sourceLocation)
    guard named.count == refNamed.count, cloud.header.points == ref.points else { return }
    var mismatches = 0
    for p in 0..<ref.points {
        for (k, (index, field)) in named.enumerated() {
            for e in 0..<field.count where cloud.bits[p][index][e] != ref.bits(point: p, field: refNamed[k].offset, element: e) {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(context): point \(p) \(field.name)[\(e)] is \(cloud.bits[p][index][e]), PCL stored \(ref.bits(point: p, field: refNamed[k].offset, element: e))",
                                 sourceLocation: sourceLocation)
                }
            }
        }
    }
    #expect(mismatches == 0, "\(context): \(mismatches) mismatching values", sourceLocation: sourceLocation)
}

/// Deterministic test data (xorshift64*), independent of the generator under test.
struct TestRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2685821657736338717
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
