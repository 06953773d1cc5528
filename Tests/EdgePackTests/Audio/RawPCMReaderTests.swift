import EdgePackAudio
import Foundation
import Testing

@Suite struct RawPCMReaderTests {
    /// S16LE bytes written to a pipe in awkward pieces (odd byte counts split samples across
    /// reads) come out as the same samples, scaled by 1/32768; stereo is averaged.
    @Test(arguments: [1, 2])
    func readsPipeInChunks(channels: Int) throws {
        var rng = SplitMix(seed: 11)
        let values = (0..<(3001 * channels)).map { _ in Int16(truncatingIfNeeded: rng.next()) }
        var bytes: [UInt8] = []
        for v in values { bytes += [UInt8(UInt16(bitPattern: v) & 255), UInt8(UInt16(bitPattern: v) >> 8)] }
        bytes.append(0x7F)                        // a trailing partial sample is dropped
        let pipe = Pipe()
        let payload = bytes
        let writer = Thread {
            let bytes = payload
            var at = 0, piece = 1
            while at < bytes.count {
                let n = min(piece, bytes.count - at)
                pipe.fileHandleForWriting.write(Data(bytes[at..<(at + n)]))
                at += n; piece = piece * 3 % 1001 + 1
            }
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let reader = RawPCMReader(fd: pipe.fileHandleForReading.fileDescriptor, channels: channels, chunkFrames: 333)
        var got: [Float] = []
        var chunk: [Float] = []
        while try reader.read(into: &chunk) > 0 { got += chunk }
        #expect(got.count == 3001)
        #expect(reader.framesRead == 3001)
        for f in 0..<min(got.count, 3001) {
            var sum = 0.0
            for c in 0..<channels { sum += Double(values[f * channels + c]) }
            let want = Float(sum / Double(channels) / 32768)
            if got[f] != want { Issue.record("frame \(f): \(got[f]) != \(want)"); break }
        }
    }

    @Test func readErrorsAreTyped() {
        let reader = RawPCMReader(fd: 987_654)        // not an open descriptor
        var chunk: [Float] = []
        #expect(throws: (any Error).self) { _ = try reader.read(into: &chunk) }
    }
}
