import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// A stream with bad frames of every kind between good ones: every good frame must come back
// byte for byte (so it is classified), and every bad piece must be reported once, at its offset,
// either by the splitter or by the reader. Good frames include PCL's own files when pcl-tools is
// installed.

@Suite("PCD stream recovery")
struct PCDStreamRecoveryTests {
    enum Kind: Equatable { case good, bad, padding }
    struct Piece { let name: String; let kind: Kind; let bytes: [UInt8] }

    /// A good frame without PCL's trailing zero padding (the frame the splitter hands out).
    static func trimmed(_ file: [UInt8]) throws -> [UInt8] {
        let length = try #require(try file.withUnsafeBytes { try PCDStreamSplitter.frameLength($0, atEnd: true) })
        return Array(file.prefix(length))
    }

    static func bad(_ name: String, _ bytes: [UInt8]) -> Piece { Piece(name: name, kind: .bad, bytes: bytes) }

    /// Bad pieces of every kind, built from the good frames.
    static func badPieces(_ goods: [(name: String, bytes: [UInt8])]) throws -> [Piece] {
        func header(_ b: [UInt8]) throws -> PCDHeader { try b.withUnsafeBytes { try PCDHeader.parse($0) } }
        func frame(_ e: PCDEncoding) -> [UInt8] { goods.first { $0.name == "ours " + e.name }!.bytes }
        let ascii = frame(.ascii), binary = frame(.binary), compressed = frame(.binaryCompressed)
        let h = try header(binary), hc = try header(compressed), ha = try header(ascii)
        var out: [Piece] = []
        // Header cut at a line end, and in the middle of a line.
        let headerText = Array(binary[..<h.dataOffset])
        let lineEnds = headerText.indices.filter { headerText[$0] == 0x0A }
        out.append(bad("header cut after its 4th line", Array(binary[...lineEnds[3]])))
        out.append(bad("header cut mid-line", Array(binary[..<(lineEnds[5] - 3)])))
        out.append(bad("header cut inside VERSION", Array("VERS".utf8)))
        // Data cut short in each encoding, at awkward places.
        out.append(bad("binary data cut", Array(binary[..<(h.dataOffset + 37)])))
        out.append(bad("binary data cut after the header", Array(binary[..<h.dataOffset])))
        out.append(bad("compressed size prefix cut", Array(compressed[..<(hc.dataOffset + 5)])))
        out.append(bad("compressed data cut", Array(compressed[..<(compressed.count - 20)])))
        out.append(bad("ascii data cut mid-line", Array(ascii[..<(ha.dataOffset + 100)])))
        let asciiLines = ascii.indices.filter { ascii[$0] == 0x0A && $0 > ha.dataOffset }
        out.append(bad("ascii data cut at a line end", Array(ascii[...asciiLines[10]])))
        // Bad header fields.
        func replacing(_ b: [UInt8], _ from: String, _ to: String) -> [UInt8] {
            Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
        }
        out.append(bad("bad TYPE", replacing(ascii, "TYPE F F F", "TYPE F Q F")))
        out.append(bad("WIDTH disagrees with POINTS", replacing(ascii, "WIDTH 40", "WIDTH 41")))
        out.append(bad("unknown DATA", replacing(ascii, "DATA ascii", "DATA zip")))
        // Garbage: text lines, binary bytes, and text run straight into the next frame's VERSION.
        out.append(bad("garbage line", Array("garbage from a restarted bridge\u{1}\u{2}\n".utf8)))
        out.append(bad("binary garbage", (0..<300).map { UInt8(truncatingIfNeeded: $0 * 37 + 200) }))
        out.append(bad("garbage without a newline", Array("partial junk".utf8)))
        // Frames whose body the splitter measures but the reader refuses.
        var lzf = compressed
        lzf[hc.dataOffset + 8] = 0xFF                       // a back-reference before the output start
        out.append(bad("bad LZF", lzf))
        out.append(bad("bad ascii value", replacing(ascii, "\n0.", "\nzz")))
        // Sizes no frame may have: refused before anything is buffered.
        out.append(bad("4 billion points", Array(
            "VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 4294967295\nHEIGHT 1\nPOINTS 4294967295\nDATA binary\n".utf8)))
        return out
    }

    static func goodFrames() throws -> [(name: String, bytes: [UInt8])] {
        try PCDStreamSplitterTests.frames()
    }

    /// Good frames and bad pieces interleaved, each bad piece between two good frames; padding too.
    static func stream() throws -> [Piece] {
        let goods = try goodFrames()
        let bads = try badPieces(goods)
        var pieces: [Piece] = []
        var g = 0
        func nextGood() -> Piece {
            defer { g += 1 }
            let f = goods[g % goods.count]
            return Piece(name: f.name, kind: .good, bytes: f.bytes)
        }
        pieces.append(nextGood())
        for (k, b) in bads.enumerated() {
            pieces.append(b)
            if k % 3 == 0 { pieces.append(Piece(name: "padding", kind: .padding, bytes: [0, 0, 0, 0x0A, 0x20])) }
            pieces.append(nextGood())
        }
        // Two bad pieces in a row, then a good frame.
        pieces.append(bads[0]); pieces.append(bads[3]); pieces.append(nextGood())
        return pieces
    }

    enum Outcome: Equatable { case frameOK([UInt8]), frameBad, error }

    /// Runs the splitter over `bytes` in `chunk`-byte reads; every event with its stream offset.
    static func events(_ bytes: [UInt8], chunk: Int) -> [(offset: Int, outcome: Outcome, text: String)] {
        var splitter = PCDStreamSplitter()
        var out: [(Int, Outcome, String)] = []
        func drain() {
            while let event = splitter.next() {
                switch event {
                case .frame(let start, let end, let offset):
                    let frame = splitter.withBuffer { Array($0[start..<end]) }
                    let readable = frame.withUnsafeBytes { raw -> String? in
                        do throws(PCDError) { _ = try PCDReader.read(raw); return nil } catch { return error.description }
                    }
                    out.append((offset, readable == nil ? .frameOK(frame) : .frameBad, readable ?? "ok"))
                case .error(let e, let offset):
                    out.append((offset, .error, e.description))
                }
            }
        }
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            bytes[i..<end].withUnsafeBytes { splitter.append($0) }
            drain()
            i = end
        }
        splitter.finish()
        drain()
        return out
    }

    @Test("Every good frame comes back whole and every bad piece is reported once, at its offset",
          arguments: [1, 7, 64, 4096, 1 << 22])
    func everyGoodFrameKept(chunk: Int) throws {
        let pieces = try Self.stream()
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        for p in pieces { offsets.append(bytes.count); bytes += p.bytes }
        let events = Self.events(bytes, chunk: chunk)
        var byOffset: [Int: [(Outcome, String)]] = [:]
        for e in events { byOffset[e.offset, default: []].append((e.outcome, e.text)) }
        var good = 0, bad = 0
        for (p, at) in zip(pieces, offsets) {
            let got = byOffset.removeValue(forKey: at) ?? []
            switch p.kind {
            case .good:
                let want = try Self.trimmed(p.bytes)
                #expect(got.count == 1 && got.first?.0 == .frameOK(want),
                        "chunk \(chunk): good frame \(p.name) at \(at): \(got.map { $0.1 })")
                good += 1
            case .bad:
                var reported = got.count == 1
                if case .frameOK? = got.first?.0 { reported = false }
                #expect(reported, "chunk \(chunk): bad piece '\(p.name)' at \(at): \(got.map { $0.1 })")
                bad += 1
            case .padding:
                #expect(got.isEmpty, "chunk \(chunk): padding at \(at) reported: \(got.map { $0.1 })")
            }
        }
        // Nothing reported anywhere else (a bad piece reported twice, or a frame split in two).
        #expect(byOffset.isEmpty, "chunk \(chunk): unexpected events \(byOffset.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.map { $0.1 })" })")
        if chunk == 7 { print("PCD stream recovery: \(good) good frames kept, \(bad) bad pieces reported, \(events.count) events") }
    }

    @Test("A frame cut short is not merged into the next one")
    func cutFrameNotMerged() throws {
        let goods = try Self.goodFrames()
        for (name, file) in goods {
            let frame = try Self.trimmed(file)
            let header = try frame.withUnsafeBytes { try PCDHeader.parse($0) }
            for cut in [header.dataOffset + 1, (header.dataOffset + frame.count) / 2, frame.count - 1] {
                let stream = Array(frame[..<cut]) + file
                let events = Self.events(stream, chunk: 4096)
                #expect(events.count == 2, "\(name) cut at \(cut): \(events.map { $0.text })")
                #expect(events.first?.offset == 0 && events.first?.outcome == .error, "\(name) cut at \(cut)")
                #expect(events.last?.offset == cut && events.last?.outcome == .frameOK(frame), "\(name) cut at \(cut)")
            }
        }
    }

    /// A live stream must not hold a frame back until the next arrives just because its last
    /// data bytes could begin a marker.
    @Test("A complete binary frame ending in the start of a marker is handed out at once")
    func frameEndingLikeAMarker() throws {
        let goods = try Self.goodFrames()
        for e in [PCDEncoding.binary, .binaryCompressed] {
            var frame = goods.first { $0.name == "ours " + e.name }!.bytes
            for tail in ["V", "VERSIO", "#", "# .PC"] where e == .binary || tail.count == 1 {
                if e == .binary {
                    frame.replaceSubrange((frame.count - tail.utf8.count)..., with: Array(tail.utf8))
                } else {
                    frame[frame.count - 1] = 0x23          // the splitter measures, it does not decode
                }
                var splitter = PCDStreamSplitter()
                frame.withUnsafeBytes { splitter.append($0) }
                let event = splitter.next()
                #expect(event == .frame(start: 0, end: frame.count, streamOffset: 0), "\(e.name) ending in '\(tail)'")
            }
        }
    }

    /// Marker-like text costs linear time: a binary body of 43,000 "# .PCD" lines, and a 1.4 MB
    /// run of them where a header should be (each line a candidate for the next frame). Comment
    /// lines may precede a header, so the last of them join the good frame that follows.
    @Test("Data full of frame markers is split in linear time")
    func markerFlood() throws {
        let good = try Self.trimmed(Self.goodFrames()[1].bytes)
        let flood = Array(String(repeating: "# .PCD\n", count: 43_000).utf8)
        let body = Array("VERSION 0.7\nFIELDS c\nSIZE 1\nTYPE U\nWIDTH \(flood.count)\nHEIGHT 1\nPOINTS \(flood.count)\nDATA binary\n".utf8) + flood
        let header = Array(String(repeating: "# .PCD\n", count: 200_000).utf8)
        let start = Date()
        let events = Self.events(good + body + good + header + good, chunk: 1 << 16)
        let seconds = Date().timeIntervalSince(start)
        let kinds = events.map { e -> String in
            switch e.outcome {
            case .frameOK(let b): return b.count >= good.count && Array(b.suffix(good.count)) == good ? "good" : "other"
            case .frameBad: return "bad"
            case .error: return "error"
            }
        }
        #expect(kinds == ["good", "error", "good", "error", "good"])
        #expect(events.count == 5 && events[1].offset == good.count && events[3].offset == 2 * good.count + body.count)
        print("marker flood: \(events.count) events in \(seconds) s")
        #expect(seconds < 30)
    }

    @Test("A header stating a huge frame is refused at once, without buffering it")
    func hugeFrameRefused() throws {
        var splitter = PCDStreamSplitter(maxFrameBytes: 1 << 20)
        let text = "VERSION 0.7\nFIELDS x\nSIZE 4\nTYPE F\nWIDTH 1000000\nHEIGHT 1\nPOINTS 1000000\nDATA binary\n"
        Array(text.utf8).withUnsafeBytes { splitter.append($0) }
        let event = splitter.next()
        #expect(event == .error(.frameTooLarge(bytes: text.utf8.count + 4_000_000, limit: 1 << 20), streamOffset: 0))
        // An ascii frame has no stated size: it is cut off once it outgrows the limit.
        var ascii = PCDStreamSplitter(maxFrameBytes: 1 << 16)
        let header = "VERSION 0.7\nFIELDS x\nSIZE 4\nTYPE F\nWIDTH 1000000\nHEIGHT 1\nPOINTS 1000000\nDATA ascii\n"
        Array(header.utf8).withUnsafeBytes { ascii.append($0) }
        var sawError = false
        for _ in 0..<100 where !sawError {
            Array(repeating: UInt8(ascii: "1"), count: 1000).withUnsafeBytes { ascii.append($0) }
            [0x0A].withUnsafeBytes { ascii.append($0) }
            while let e = ascii.next() { if case .error(.frameTooLarge, 0) = e { sawError = true } }
        }
        #expect(sawError)
        #expect(ascii.buffer.count < 1 << 17)
    }

    @Test("Stated sizes that would decode to more than the limit are refused before allocating")
    func hugeDecodedSizes() throws {
        // 100 million points of 12 bytes from 20 MB of LZF: consistent, but 1.2 GB to allocate.
        var compressed = Array("VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 100000000\nHEIGHT 1\nPOINTS 100000000\nDATA binary_compressed\n".utf8)
        for v in [20_000_000, 1_200_000_000] { withUnsafeBytes(of: UInt32(v).littleEndian) { compressed += $0 } }
        let start = Date()
        #expect(throws: PCDError.frameTooLarge(bytes: 1_200_000_000, limit: PCDReader.maxDecodedBytes)) {
            try compressed.withUnsafeBytes { try PCDReader.read($0) }
        }
        // An ascii file's text bounds its records; a long enough text is refused the same way.
        let header = "VERSION 0.7\nFIELDS x\nSIZE 8\nTYPE F\nCOUNT 1\nWIDTH 4294967295\nHEIGHT 1\nPOINTS 4294967295\nDATA ascii\n"
        var ascii = Array(header.utf8)
        ascii += [UInt8](repeating: 0x0A, count: 70_000_000)      // blank lines: up to 35 million points
        #expect(throws: PCDError.frameTooLarge(bytes: 35_000_000 * 8, limit: PCDReader.maxDecodedBytes)) {
            try ascii.withUnsafeBytes { try PCDReader.read($0) }
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("Files read while still being written are recognised as cut short")
    func cutShortFiles() throws {
        for (name, file) in try Self.goodFrames() {
            let frame = try Self.trimmed(file)
            #expect(!frame.withUnsafeBytes { PCDStreamSplitter.isCutShort($0) }, "\(name)")
            // An ascii file that lost only the end of its last line still holds POINTS lines, so
            // it cannot look cut short (the watcher's close-write or settle wait covers that case);
            // cut it before its last line instead.
            let ascii = try frame.withUnsafeBytes { try PCDHeader.parse($0) }.encoding == .ascii
            let last = ascii ? try #require(frame[..<(frame.count - 1)].lastIndex(of: 0x0A)) + 1 : frame.count - 1
            for cut in [0, 10, frame.count / 2, last] {
                #expect(Array(frame[..<cut]).withUnsafeBytes { PCDStreamSplitter.isCutShort($0) }, "\(name) cut at \(cut)")
            }
        }
        let badType = Array("VERSION 0.7\nFIELDS x\nSIZE 4\nTYPE Q\n".utf8)
        #expect(!badType.withUnsafeBytes { PCDStreamSplitter.isCutShort($0) })
    }
}
