import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// Concatenated PCD files, as a sensor bridge writes them to a pipe, are cut back into the
// original files whatever the read sizes, with bad frames reported and skipped.

@Suite("PCD stream splitter")
struct PCDStreamSplitterTests {
    /// Runs the splitter over `stream` fed in `chunk`-byte pieces; returns frames (as bytes) and errors.
    static func split(_ stream: [UInt8], chunk: Int) -> (frames: [[UInt8]], errors: [(PCDError, Int)]) {
        var splitter = PCDStreamSplitter()
        var frames: [[UInt8]] = []
        var errors: [(PCDError, Int)] = []
        func drain(_ splitter: inout PCDStreamSplitter) {
            while let event = splitter.next() {
                switch event {
                case .frame(let start, let end, _):
                    frames.append(splitter.withBuffer { Array($0[start..<end]) })
                case .error(let e, let offset):
                    errors.append((e, offset))
                }
            }
        }
        var i = 0
        while i < stream.count {
            let end = min(stream.count, i + chunk)
            stream[i..<end].withUnsafeBytes { splitter.append($0) }
            drain(&splitter)
            i = end
        }
        splitter.finish()
        drain(&splitter)
        return (frames, errors)
    }

    /// Small frames of each encoding: ours, and PCL's (with the zero padding PCL leaves after the data).
    static func frames() throws -> [(name: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var rng = TestRandom(5)
        var xyz: [Float] = []
        for i in 0..<(40 * 3) { xyz.append(i % 31 == 0 ? .nan : Float(rng.unit())) }
        for e in [PCDEncoding.ascii, .binary, .binaryCompressed] {
            out.append(("ours " + e.name, PCDWriter.encodeXYZ(xyz, encoding: e)))
        }
        if PCLTools.available("pcl_generate", "pcl_convert_pcd_ascii_binary") {
            let dir = TestDirectory()
            let g = dir.file("g.pcd")
            try PCLTools.run("pcl_generate", [g, "-size", "60"], creates: g)
            for mode in 0...2 {
                let f = dir.file("m\(mode).pcd")
                try PCLTools.convert(g, f, mode: mode)
                out.append(("PCL mode \(mode)", try readBytes(f)))
            }
        }
        return out
    }

    static func values(_ bytes: [UInt8]) throws -> [[[UInt64]]] { try readCloud(bytes).bits }

    @Test("Concatenated frames come back whole, for any read size")
    func concatenated() throws {
        let frames = try Self.frames()
        var stream: [UInt8] = []
        for f in frames + frames.reversed() { stream += f.bytes }
        let expected = try (frames + frames.reversed()).map { try Self.values($0.bytes) }
        for chunk in [1, 3, 64, 1000, 1 << 20] {
            let (got, errors) = Self.split(stream, chunk: chunk)
            #expect(errors.isEmpty, "chunk \(chunk): \(errors.map { $0.0.description })")
            #expect(got.count == expected.count, "chunk \(chunk)")
            for (k, frame) in got.enumerated() where k < expected.count {
                #expect(try Self.values(frame) == expected[k], "chunk \(chunk), frame \(k)")
            }
        }
    }

    @Test("Frame length is unknown until the whole frame is there, then exact")
    func prefixes() throws {
        for (name, file) in try Self.frames() {
            let full = try file.withUnsafeBytes { try PCDStreamSplitter.frameLength($0, atEnd: true) }
            let header = try file.withUnsafeBytes { try PCDHeader.parse($0) }
            let length = try #require(full, "\(name)")
            // PCL pads binary files with zeros; the frame itself ends where the data does.
            if header.encoding == .binary { #expect(length == header.dataOffset + header.points * header.pointSize, "\(name)") }
            #expect(file[length...].allSatisfy { $0 == 0 }, "\(name): only padding after the frame")
            for k in stride(from: 0, to: length, by: max(1, length / 300)) {
                let partial = try Array(file.prefix(k)).withUnsafeBytes { try PCDStreamSplitter.frameLength($0, atEnd: false) }
                #expect(partial == nil, "\(name): prefix \(k) of \(length)")
            }
            let exact = try Array(file.prefix(length)).withUnsafeBytes { try PCDStreamSplitter.frameLength($0, atEnd: false) }
            #expect(exact == length, "\(name)")
        }
    }

    @Test("A broken frame is reported and skipped; the stream goes on")
    func badFrames() throws {
        let frames = try Self.frames()
        let good = frames[0].bytes, other = frames[2].bytes
        let broken = Array("# .PCD v0.7\nVERSION 0.7\nFIELDS x y\nSIZE 4 4\nTYPE F Q\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA binary\n12345678".utf8)
        let junk = Array("garbage from a restarted bridge\u{1}\u{2}\n".utf8)
        // A frame whose header is fine but whose LZF data is corrupt keeps its place: the reader refuses it.
        var corrupt = frames[2].bytes
        let header = try corrupt.withUnsafeBytes { try PCDHeader.parse($0) }
        corrupt[header.dataOffset + 8] = 0xFF
        let stream = good + broken + other + junk + good + corrupt + good
        let (got, errors) = Self.split(stream, chunk: 7)
        #expect(got.count == 5)
        #expect(errors.count == 2)
        if errors.count == 2 {
            #expect(errors[0].1 == good.count)
            if case .headerLine(let line, let problem) = errors[0].0 { #expect(line == 5 && problem.contains("'Q'")) }
            else { Issue.record("unexpected \(errors[0].0.description)") }
            #expect(errors[1].1 == good.count + broken.count + other.count)
        }
        let readable = got.map { frame in frame.withUnsafeBytes { raw -> Bool in
            do throws(PCDError) { _ = try PCDReader.read(raw); return true } catch { return false }
        } }
        #expect(readable == [true, true, true, false, true])
    }

    @Test("A stream that ends inside a frame reports it")
    func truncatedEnd() throws {
        let frames = try Self.frames()
        for (name, file) in frames.prefix(3) {
            let length = try #require(try file.withUnsafeBytes { try PCDStreamSplitter.frameLength($0, atEnd: true) })
            // Binary frames lose their last bytes; ascii frames their last line (a last line without
            // its newline is a complete line at the end of a stream, as in a file).
            var cutAt = length - 5
            if try file.withUnsafeBytes({ try PCDHeader.parse($0) }).encoding == .ascii {
                cutAt = try #require(file[..<(length - 1)].lastIndex(of: 0x0A)) + 1
            }
            let cut = Array(file.prefix(cutAt))
            let (got, errors) = Self.split(frames[0].bytes + cut, chunk: 100)
            #expect(got.count == 1, "\(name)")
            #expect(errors.count == 1, "\(name)")
            if let e = errors.first {
                switch e.0 {
                case .truncatedData, .asciiMissingPoints: break
                default: Issue.record("\(name): unexpected \(e.0.description)")
                }
            }
        }
    }
}
