import Testing
@testable import EdgePackPointCloud

// Malformed files are refused with the error that names their problem.

func readError(_ bytes: [UInt8]) -> PCDError? {
    bytes.withUnsafeBytes { raw in
        do throws(PCDError) {
            let cloud = try PCDReader.read(raw)
            _ = try cloud.doubleMatrix(fields: [])
            return nil
        } catch {
            return error
        }
    }
}

func readError(_ text: String) -> PCDError? { readError(Array(text.utf8)) }

/// A header from entries, each "KEY values"; DATA added last.
func pcdText(_ entries: [String], data: String) -> String {
    entries.joined(separator: "\n") + "\n" + data
}

let xyzEntries = ["# test", "VERSION 0.7", "FIELDS x y z", "SIZE 4 4 4", "TYPE F F F", "COUNT 1 1 1",
                  "WIDTH 2", "HEIGHT 1", "VIEWPOINT 0 0 0 1 0 0 0", "POINTS 2"]
let xyzAscii = "DATA ascii\n1 2 3\n4 5 6\n"

func replacing(_ key: String, with line: String?) -> [String] {
    var e = xyzEntries
    if let i = e.firstIndex(where: { $0.hasPrefix(key + " ") }) {
        if let line { e[i] = line } else { e.remove(at: i) }
    }
    return e
}

func binaryFile(_ entries: [String], encoding: String, payload: [UInt8]) -> [UInt8] {
    Array((entries.joined(separator: "\n") + "\nDATA " + encoding + "\n").utf8) + payload
}

func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> UInt32(8 * $0)) } }

@Suite("PCD malformed input")
struct PCDMalformedTests {
    @Test("The valid base file reads")
    func baseIsValid() {
        #expect(readError(pcdText(xyzEntries, data: xyzAscii)) == nil)
        // COUNT and VIEWPOINT may be left out; CRLF line ends are accepted.
        let minimal = pcdText(replacing("COUNT", with: nil).filter { !$0.hasPrefix("VIEWPOINT") }, data: xyzAscii)
        #expect(readError(minimal) == nil)
        #expect(readError(minimal.split(separator: "\n").joined(separator: "\r\n") + "\r\n") == nil)
    }

    @Test("Header entries out of order, repeated or missing")
    func order() {
        // SIZE before FIELDS: FIELDS is missing where SIZE appears.
        var e = xyzEntries
        e.swapAt(2, 3)
        #expect(readError(pcdText(e, data: xyzAscii)) == .headerMissing(line: 3, entry: "FIELDS", found: "SIZE"))
        // HEIGHT before WIDTH.
        e = xyzEntries
        e.swapAt(6, 7)
        #expect(readError(pcdText(e, data: xyzAscii)) == .headerMissing(line: 7, entry: "WIDTH", found: "HEIGHT"))
        // A repeated entry.
        e = xyzEntries
        e.insert("FIELDS a b c", at: 3)
        #expect(readError(pcdText(e, data: xyzAscii)) == .headerOrder(line: 4, found: "FIELDS", expected: "SIZE"))
        // No POINTS, no TYPE, no VERSION.
        #expect(readError(pcdText(replacing("POINTS", with: nil), data: xyzAscii)) == .headerMissing(line: 10, entry: "POINTS", found: "DATA"))
        #expect(readError(pcdText(replacing("TYPE", with: nil), data: xyzAscii)) == .headerMissing(line: 5, entry: "TYPE", found: "COUNT"))
        #expect(readError(pcdText(replacing("VERSION", with: nil), data: xyzAscii)) == .headerMissing(line: 2, entry: "VERSION", found: "FIELDS"))
        // No DATA line at all.
        let noData = xyzEntries.joined(separator: "\n") + "\n"
        #expect(readError(noData) == .headerIncomplete(bytes: noData.utf8.count))
        #expect(readError("") == .headerIncomplete(bytes: 0))
        let described = PCDError.headerMissing(line: 10, entry: "POINTS", found: "DATA").description
        #expect(described.contains("line 10") && described.contains("POINTS"))
    }

    @Test("Bad header values")
    func values() {
        func lineProblem(_ key: String, _ line: String) -> String? {
            if case .headerLine(_, let problem)? = readError(pcdText(replacing(key, with: line), data: xyzAscii)) { return problem }
            return nil
        }
        #expect(lineProblem("SIZE", "SIZE 4 4")?.contains("2 values for 3 fields") == true)
        #expect(lineProblem("SIZE", "SIZE 4 4 3")?.contains("'3' is not 1, 2, 4 or 8") == true)
        #expect(lineProblem("TYPE", "TYPE F F X")?.contains("'X'") == true)
        #expect(lineProblem("SIZE", "SIZE 4 4 2")?.contains("floats are 4 or 8") == true)
        #expect(lineProblem("COUNT", "COUNT 1 0 1")?.contains("COUNT '0' of field y") == true)
        #expect(lineProblem("WIDTH", "WIDTH -2")?.contains("WIDTH needs one whole number") == true)
        #expect(lineProblem("WIDTH", "WIDTH 4294967296") != nil)
        #expect(lineProblem("WIDTH", "WIDTH 2 3") != nil)
        #expect(lineProblem("POINTS", "POINTS") != nil)
        #expect(lineProblem("VIEWPOINT", "VIEWPOINT 0 0 0 1 0 0")?.contains("7 values") == true)
        #expect(lineProblem("VIEWPOINT", "VIEWPOINT 0 0 0 1 0 0 q")?.contains("'q'") == true)
        #expect(lineProblem("VERSION", "VERSION")?.contains("VERSION needs one value") == true)
        #expect(lineProblem("VERSION", "VERSIONS 0.7")?.contains("unknown header entry 'VERSIONS'") == true)
        if case .headerLine(let line, let problem)? = readError(pcdText(xyzEntries, data: "DATA binary_compresed\n")) {
            #expect(line == 11 && problem.contains("binary_compresed"))
        } else { Issue.record("unknown DATA encoding accepted") }
    }

    @Test("WIDTH × HEIGHT ≠ POINTS")
    func pointCount() {
        let e = replacing("HEIGHT", with: "HEIGHT 3")
        #expect(readError(pcdText(e, data: xyzAscii)) == .pointCountMismatch(width: 2, height: 3, points: 2))
        #expect(PCDError.pointCountMismatch(width: 2, height: 3, points: 2).description.contains("WIDTH 2 × HEIGHT 3 ≠ POINTS 2"))
    }

    @Test("Sizes that overflow")
    func overflow() {
        var e = replacing("SIZE", with: "SIZE 8 8 8")
        e = e.map { $0.hasPrefix("TYPE") ? "TYPE F F F" : $0 }
        e = e.map { $0.hasPrefix("COUNT") ? "COUNT 1 2147483647 1" : $0 }
        if case .sizeOverflow(let what)? = readError(pcdText(e, data: xyzAscii)) {
            #expect(what.contains("field y"))
        } else { Issue.record("oversized record accepted") }
        // 2^32-1 points of 12 bytes do not fit binary_compressed's 32-bit sizes.
        let huge = replacing("WIDTH", with: "WIDTH 4294967295").map { $0 == "POINTS 2" ? "POINTS 4294967295" : $0 }
        let file = binaryFile(huge, encoding: "binary_compressed", payload: u32(10) + u32(0xFFFF_FFF0) + [UInt8](repeating: 0, count: 10))
        if case .sizeOverflow? = readError(file) {} else { Issue.record("compressed overflow accepted: \(String(describing: readError(file)))") }
        // The same as binary: refused as truncated, nothing allocated.
        let bin = binaryFile(huge, encoding: "binary", payload: [1, 2, 3])
        #expect(readError(bin) == .truncatedData(offset: bin.count - 3, needed: 4294967295 * 12, available: 3))
        // ascii claiming billions of points in a few bytes.
        #expect(readError(pcdText(huge, data: "DATA ascii\n1 2 3\n")) == .asciiMissingPoints(found: 1, expected: 4294967295))
    }

    @Test("Truncated binary and compressed data")
    func truncated() {
        let bin = binaryFile(xyzEntries, encoding: "binary", payload: [UInt8](repeating: 0, count: 23))
        #expect(readError(bin) == .truncatedData(offset: bin.count - 23, needed: 24, available: 23))
        #expect(readError(binaryFile(xyzEntries, encoding: "binary", payload: [UInt8](repeating: 0, count: 24))) == nil)
        let short = binaryFile(xyzEntries, encoding: "binary_compressed", payload: [1, 0, 0])
        #expect(readError(short) == .truncatedData(offset: short.count - 3, needed: 8, available: 3))
        // Stated compressed size beyond the end.
        let payload = u32(50) + u32(24) + [31] + [UInt8](repeating: 7, count: 20)
        let cut = binaryFile(xyzEntries, encoding: "binary_compressed", payload: payload)
        #expect(readError(cut) == .truncatedData(offset: cut.count - 21, needed: 50, available: 21))
    }

    @Test("Compressed sizes that disagree, and corrupt LZF streams")
    func compressed() {
        func file(_ compressed: [UInt8], stated: UInt32 = 24) -> [UInt8] {
            binaryFile(xyzEntries, encoding: "binary_compressed", payload: u32(UInt32(compressed.count)) + u32(stated) + compressed)
        }
        let literal24: [UInt8] = [23] + [UInt8](repeating: 0, count: 24)
        #expect(readError(file(literal24)) == nil)
        if case .compressedSize(let problem)? = readError(file(literal24, stated: 25)) {
            #expect(problem.contains("25") && problem.contains("24"))
        } else { Issue.record("wrong uncompressed size accepted") }
        // Over-run: a literal of 25 bytes for 24. Under-run: 20 bytes for 24.
        #expect(readError(file([24] + [UInt8](repeating: 0, count: 25))) == .lzf(.outputOverrun(inputOffset: 0, outputOffset: 0, limit: 24)))
        #expect(readError(file([19] + [UInt8](repeating: 0, count: 20))) == .lzf(.outputUnderrun(produced: 20, expected: 24)))
        // A back-reference before the start; a reference cut after its control byte.
        // A long reference (length byte 16 → 25 bytes) running past the 24 stated.
        #expect(readError(file([0x00, 9, 0xE0, 0x10, 0x00])) == .lzf(.outputOverrun(inputOffset: 2, outputOffset: 1, limit: 24)))
        #expect(readError(file([0x00, 9, 0x20, 0x05])) == .lzf(.badReference(inputOffset: 2, outputOffset: 1, distance: 6)))
        #expect(readError(file([0x03, 1, 2, 3, 4, 0xE0])) == .lzf(.inputTruncated(inputOffset: 5)))
        // A literal run longer than the input left.
        #expect(readError(file([0x1F, 1, 2])) == .lzf(.inputTruncated(inputOffset: 0)))
        // Sizes no LZF stream of that length can reach are refused before allocating.
        let thousand = replacing("WIDTH", with: "WIDTH 1000").map { $0 == "POINTS 2" ? "POINTS 1000" : $0 }
        let claim = binaryFile(thousand, encoding: "binary_compressed", payload: u32(2) + u32(12000) + [0x00, 1])
        if case .compressedSize(let problem)? = readError(claim) {
            #expect(problem.contains("cannot expand"))
        } else { Issue.record("impossible expansion accepted") }
    }

    @Test("ascii data errors name the line")
    func ascii() {
        #expect(readError(pcdText(xyzEntries, data: "DATA ascii\n1 2 3\n4 5\n")) == .asciiValueCount(line: 13, found: 2, expected: 3))
        #expect(readError(pcdText(xyzEntries, data: "DATA ascii\n1 2 3 4\n4 5 6\n")) == .asciiValueCount(line: 12, found: 4, expected: 3))
        #expect(readError(pcdText(xyzEntries, data: "DATA ascii\n1 2 3\n")) == .asciiMissingPoints(found: 1, expected: 2))
        #expect(readError(pcdText(xyzEntries, data: "DATA ascii\n1 2 3\n4 5 6x\n")) ==
                .asciiValue(line: 13, field: "z", token: "6x", problem: "is not a number"))
        // Blank lines are skipped; NaN and infinities parse; trailing text is ignored.
        #expect(readError(pcdText(xyzEntries, data: "DATA ascii\n\n1 nan 3\n  \n-inf inf NaN\nextra\n")) == nil)
        let ints = ["VERSION 0.7", "FIELDS a b", "SIZE 1 2", "TYPE U I", "WIDTH 1", "HEIGHT 1", "POINTS 1"]
        #expect(readError(pcdText(ints, data: "DATA ascii\n255 -32768\n")) == nil)
        #expect(readError(pcdText(ints, data: "DATA ascii\n256 0\n")) == .asciiValue(line: 9, field: "a", token: "256", problem: "is out of range for U 1"))
        #expect(readError(pcdText(ints, data: "DATA ascii\n-1 0\n")) == .asciiValue(line: 9, field: "a", token: "-1", problem: "is out of range for U 1"))
        #expect(readError(pcdText(ints, data: "DATA ascii\n0 32768\n")) == .asciiValue(line: 9, field: "b", token: "32768", problem: "is out of range for I 2"))
        #expect(readError(pcdText(ints, data: "DATA ascii\n0 1.5\n")) == .asciiValue(line: 9, field: "b", token: "1.5", problem: "is not an integer"))
        #expect(readError(pcdText(ints, data: "DATA ascii\n0 99999999999999999999999\n")) != nil)
    }

    @Test("Unknown or padding fields cannot be selected")
    func fields() {
        let text = pcdText(["VERSION 0.7", "FIELDS x _ y", "SIZE 4 1 4", "TYPE F U F", "COUNT 1 2 1",
                            "WIDTH 1", "HEIGHT 1", "POINTS 1"], data: "DATA ascii\n1 0 0 2\n")
        let result: PCDError? = Array(text.utf8).withUnsafeBytes { raw in
            do throws(PCDError) {
                _ = try PCDReader.read(raw).floatMatrix(fields: ["x", "_"])
                return nil
            } catch { return error }
        }
        #expect(result == .unknownField(name: "_", available: "x y"))
    }
}
