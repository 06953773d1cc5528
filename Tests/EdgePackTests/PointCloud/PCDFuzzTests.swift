import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// Thousands of mutated PCD files (all three encodings) and LZF streams: each must give a typed
// error or a valid result, never a trap or an out-of-bounds read. The seed is printed; set
// EDGEPACK_FUZZ_SEED / EDGEPACK_FUZZ_ITERATIONS to reproduce or extend a run.
// (For memory errors beyond Swift's checks, run: swift test --sanitize=address --filter PCDFuzz.)

@Suite("PCD fuzz")
struct PCDFuzzTests {
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["EDGEPACK_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0F_9CD
    }
    static var iterations: Int {
        ProcessInfo.processInfo.environment["EDGEPACK_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 1500
    }

    /// Valid seed files: plain xyz, and an organized cloud with padding, COUNT > 1 and every type.
    static func seeds() throws -> [[UInt8]] {
        var rng = TestRandom(1)
        var xyz: [Float] = []
        for i in 0..<150 { xyz.append(i % 17 == 0 ? .nan : Float(rng.unit() * 10)) }
        let fields = [PCDField(name: "x", size: 4, type: .float), PCDField(name: "_", size: 1, type: .unsigned, count: 3),
                      PCDField(name: "y", size: 8, type: .float), PCDField(name: "n", size: 2, type: .signed, count: 3),
                      PCDField(name: "u", size: 1, type: .unsigned), PCDField(name: "big", size: 8, type: .unsigned)]
        let header = PCDWriter.header(fields: fields, width: 6, height: 4)
        var records = [UInt8](repeating: 0, count: header.points * header.pointSize)
        for i in records.indices { records[i] = UInt8(truncatingIfNeeded: rng.next()) }
        var out: [[UInt8]] = []
        for encoding in [PCDEncoding.ascii, .binary, .binaryCompressed] {
            out.append(PCDWriter.encodeXYZ(xyz, encoding: encoding))
            var r = records
            // Keep padding zero and floats finite-ish in ascii so the text is a normal file.
            for p in 0..<header.points { for k in 0..<3 { r[p * header.pointSize + 4 + k] = 0 } }
            out.append(try PCDWriter.encode(header: header, records: r, encoding: encoding))
        }
        return out
    }

    /// Exercises everything a reader user would touch; returns a short outcome label.
    static func exercise(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { raw in
            var label: String
            do throws(PCDError) {
                let cloud = try PCDReader.read(raw)
                let all = try cloud.doubleMatrix(fields: [])
                let valid = try cloud.floatMatrix(fields: [], dropInvalid: true)
                precondition(all.values.count == all.rows * all.columns.count)
                precondition(valid.rows + valid.dropped == cloud.pointCount)
                if cloud.pointCount > 0, let last = cloud.header.fields.lastIndex(where: { !$0.isPadding }) {
                    _ = cloud.bits(point: cloud.pointCount - 1, field: last, element: cloud.header.fields[last].count - 1)
                }
                label = "ok"
            } catch {
                label = caseName(error)
            }
            // Finding frame ends must also be safe, with or without more input to come.
            _ = try? PCDStreamSplitter.frameLength(raw, atEnd: true)
            _ = try? PCDStreamSplitter.frameLength(raw, atEnd: false)
            return label
        }
    }

    static func caseName(_ e: PCDError) -> String {
        switch e {
        case .headerIncomplete: return "headerIncomplete"
        case .headerLine: return "headerLine"
        case .headerOrder: return "headerOrder"
        case .headerMissing: return "headerMissing"
        case .pointCountMismatch: return "pointCountMismatch"
        case .sizeOverflow: return "sizeOverflow"
        case .truncatedData: return "truncatedData"
        case .asciiValueCount: return "asciiValueCount"
        case .asciiValue: return "asciiValue"
        case .asciiMissingPoints: return "asciiMissingPoints"
        case .compressedSize: return "compressedSize"
        case .lzf: return "lzf"
        case .unknownField: return "unknownField"
        case .frameTooLarge: return "frameTooLarge"
        }
    }

    /// One random mutation of a file.
    static func mutate(_ file: [UInt8], _ rng: inout TestRandom) -> [UInt8] {
        var b = file
        let headerEnd = (b.firstRange(of: Array("DATA ".utf8))?.upperBound ?? b.count / 2) + 20
        switch rng.below(9) {
        case 0: // flip bits
            for _ in 0...rng.below(8) where !b.isEmpty {
                let i = rng.below(b.count); b[i] ^= UInt8(1 << rng.below(8))
            }
        case 1: // random bytes, mostly in the header
            for _ in 0...rng.below(4) where !b.isEmpty {
                let i = rng.below(rng.below(2) == 0 ? min(headerEnd, b.count) : b.count); b[i] = UInt8(rng.below(256))
            }
        case 2: // truncate
            b = Array(b.prefix(rng.below(b.count + 1)))
        case 3: // insert junk
            let i = rng.below(b.count + 1)
            b.insert(contentsOf: (0..<(1 + rng.below(12))).map { _ in UInt8(rng.below(256)) }, at: i)
        case 4: // delete a range
            if !b.isEmpty {
                let i = rng.below(b.count), n = min(b.count - i, 1 + rng.below(40)); b.removeSubrange(i..<(i + n))
            }
        case 5: // replace a header number with an extreme
            let digits = b.prefix(min(headerEnd, b.count)).indices.filter { b[$0] >= 0x30 && b[$0] <= 0x39 }
            if let i = digits.isEmpty ? nil : digits[rng.below(digits.count)] {
                let values = ["0", "4294967295", "4294967296", "2147483648", "-1", "9", "18446744073709551616", "3", "65536"]
                b.replaceSubrange(i..<(i + 1), with: Array(values[rng.below(values.count)].utf8))
            }
        case 6: // swap or duplicate header lines
            var lines = b.prefix(min(headerEnd, b.count)).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            let tail = Array(b.dropFirst(min(headerEnd, b.count)))
            if lines.count > 2 {
                let i = rng.below(lines.count - 1), j = rng.below(lines.count - 1)
                if rng.below(2) == 0 { lines.swapAt(i, j) } else { lines.insert(lines[i], at: j) }
            }
            b = Array(lines.joined(separator: [0x0A])) + tail
        case 7: // compressed sizes / binary payload words
            if let r = b.firstRange(of: Array("DATA ".utf8)), let nl = b[r.upperBound...].firstIndex(of: 0x0A), nl + 9 <= b.count {
                let at = nl + 1 + rng.below(2) * 4
                let v = [UInt32(0), 1, UInt32.max, UInt32(rng.below(5000)), UInt32(truncatingIfNeeded: rng.next())][rng.below(5)]
                for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: v >> UInt32(8 * k)) }
            }
        default: // corrupt the data section
            if headerEnd < b.count {
                for _ in 0...rng.below(6) { b[headerEnd + rng.below(b.count - headerEnd)] = UInt8(rng.below(256)) }
            }
        }
        return b
    }

    @Test("Mutated PCD files: typed error or valid cloud, never a crash")
    func mutatedFiles() throws {
        let seed = Self.seed, iterations = Self.iterations
        print("PCD fuzz: seed \(seed), \(iterations) mutations per seed file (EDGEPACK_FUZZ_SEED to reproduce)")
        var rng = TestRandom(seed)
        var outcomes: [String: Int] = [:]
        let seeds = try Self.seeds()
        for file in seeds {
            #expect(Self.exercise(file) == "ok", "seed files must be valid")
            for _ in 0..<iterations {
                var m = Self.mutate(file, &rng)
                if rng.below(4) == 0 { m = Self.mutate(m, &rng) }
                outcomes[Self.exercise(m), default: 0] += 1
            }
        }
        print("PCD fuzz outcomes: " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        // The mutations reach deep into the reader: data errors and LZF errors, not only header errors.
        for kind in ["ok", "headerLine", "truncatedData", "lzf", "asciiValue", "compressedSize"] {
            #expect((outcomes[kind] ?? 0) > 0, "no mutation produced \(kind)")
        }
    }

    @Test("Random and mutated LZF streams: typed error or exact size, never a crash")
    func lzfStreams() throws {
        let seed = Self.seed &+ 1
        print("LZF fuzz: seed \(seed)")
        var rng = TestRandom(seed)
        var ok = 0, failed = 0
        var sample = [UInt8](repeating: 0, count: 3000)
        for i in sample.indices { sample[i] = UInt8(i % 251 < 40 ? 0 : rng.below(6)) }
        let packed = LZFCompressor.compress(sample)
        for trial in 0..<(Self.iterations * 4) {
            var stream: [UInt8]
            if trial % 2 == 0 {
                stream = (0..<rng.below(64)).map { _ in UInt8(rng.below(256)) }
            } else {
                stream = packed
                for _ in 0...rng.below(5) { stream[rng.below(stream.count)] = UInt8(rng.below(256)) }
                if rng.below(3) == 0 { stream = Array(stream.prefix(rng.below(stream.count))) }
            }
            let size = trial % 2 == 0 ? rng.below(300) : sample.count + rng.below(3) - 1
            let result: [UInt8]? = stream.withUnsafeBytes { raw in
                do throws(LZFError) { return try LZF.decompress(raw, size: size) } catch { return nil }
            }
            if let result { ok += 1; #expect(result.count == size) } else { failed += 1 }
        }
        print("LZF fuzz outcomes: \(ok) decoded, \(failed) refused")
        #expect(ok > 0 && failed > 0)
    }
}
