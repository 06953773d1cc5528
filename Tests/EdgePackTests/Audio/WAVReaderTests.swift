import EdgePackAudio
import Testing

@Suite struct WAVReaderTests {
    /// sox-written encodings of the same 0.1 s of 16-bit speech decode to the source samples
    /// (all conversions are exact), multi-channel files to the channel mean.
    @Test(arguments: [
        // sox writes WAVE_FORMAT_EXTENSIBLE for integer PCM above 16 bits and for > 2 channels.
        ("wav_s16.wav", "wav_mono.npy", false), ("wav_s24.wav", "wav_mono.npy", true),
        ("wav_s32.wav", "wav_mono.npy", true), ("wav_f32.wav", "wav_mono.npy", false),
        ("wav_f64.wav", "wav_mono.npy", false), ("wav_u8.wav", "wav_u8.npy", false),
        ("wav_stereo_s16.wav", "wav_stereo_s16.npy", false), ("wav_3ch_s24.wav", "wav_3ch_s24.npy", true),
    ])
    func decodesSoxEncodings(file: String, expected: String, extensible: Bool) throws {
        let audio = try AudioFixtures.wav(file)
        let reference = try AudioFixtures.npy(expected)
        #expect(audio.format.sampleRate == 16000)
        #expect(audio.format.extensible == extensible)
        #expect(audio.samples.count == reference.data.count)
        #expect(AudioFixtures.maxAbsDifference(audio.samples, reference.data) <= 6e-8)
    }

    @Test func refusesULaw() throws {
        let b = try AudioFixtures.bytes("wav_ulaw.wav")
        #expect(throws: WAVError.unsupportedCodec(tag: 7)) { try b.withUnsafeBytes { try WAVReader.decode($0) } }
    }

    @Test func refusesOtherRates() throws {
        let b = Self.build(rate: 44100, samples: [1, 2, 3])
        #expect(throws: WAVError.sampleRate(found: 44100, required: 16000)) {
            try b.withUnsafeBytes { try WAVReader.decode($0, requiredRate: 16000) }
        }
    }

    // MARK: malformed files, built byte by byte

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 255), UInt8((v >> 8) & 255)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16((v >> 16) & 0xFFFF) }
    static func chunk(_ id: String, _ body: [UInt8], size: Int? = nil) -> [UInt8] {
        Array(id.utf8) + le32(size ?? body.count) + body + (body.count % 2 == 1 ? [0] : [])
    }
    static func fmt(tag: Int = 1, channels: Int = 1, rate: Int = 16000, bits: Int = 16, align: Int? = nil) -> [UInt8] {
        let a = align ?? channels * bits / 8
        return le16(tag) + le16(channels) + le32(rate) + le32(rate * a) + le16(a) + le16(bits)
    }
    static func riff(_ chunks: [UInt8]) -> [UInt8] { Array("RIFF".utf8) + le32(4 + chunks.count) + Array("WAVE".utf8) + chunks }
    static func build(rate: Int = 16000, samples: [Int16]) -> [UInt8] {
        var data: [UInt8] = []
        for s in samples { data += le16(Int(UInt16(bitPattern: s))) }
        return riff(chunk("fmt ", fmt(rate: rate)) + chunk("data", data))
    }
    static func decode(_ bytes: [UInt8]) throws -> WAVAudio {
        try bytes.withUnsafeBytes { try WAVReader.decode($0) }
    }

    @Test func oddChunksAndUnknownChunksAreSkipped() throws {
        let file = Self.riff(Self.chunk("fmt ", Self.fmt()) + Self.chunk("LIST", [1, 2, 3]) +
                             Self.chunk("data", Self.le16(16384) + Self.le16(0xC000)))
        let audio = try Self.decode(file)
        #expect(audio.samples == [0.5, -0.5])
    }

    @Test func typedErrors() {
        #expect(throws: WAVError.truncated(offset: 7, needed: "a 12-byte RIFF/WAVE header")) {
            try Self.decode(Array("RIFF123".utf8))
        }
        #expect(throws: WAVError.notWAVE("starts with 'OggS', not 'RIFF'")) {
            try Self.decode(Array("OggS".utf8) + [UInt8](repeating: 0, count: 40))
        }
        // data claims 100 bytes, 4 present
        #expect(throws: WAVError.truncated(offset: 48, needed: "100 data bytes from byte 44, found 4")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt()) + Self.chunk("data", [0, 0, 0, 0], size: 100)))
        }
        // fmt chunk running past the end
        #expect(throws: WAVError.badChunkSize(chunk: "fmt ", offset: 12, size: 1000, reason: "runs past the end of the file (40 bytes)")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt() + [0, 0, 0, 0], size: 1000)))
        }
        #expect(throws: WAVError.badChunkSize(chunk: "fmt ", offset: 12, size: 8, reason: "shorter than the 16 bytes of PCMWAVEFORMAT")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", [0, 0, 0, 0, 0, 0, 0, 0]) + Self.chunk("data", [])))
        }
        #expect(throws: WAVError.missingChunk("data")) { try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt()))) }
        #expect(throws: WAVError.missingChunk("fmt ")) { try Self.decode(Self.riff(Self.chunk("data", [0, 0]))) }
        #expect(throws: WAVError.unsupportedCodec(tag: 2)) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt(tag: 2)) + Self.chunk("data", [])))
        }
        #expect(throws: WAVError.unsupportedBits(codec: "PCM", bits: 12)) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt(bits: 12, align: 2)) + Self.chunk("data", [])))
        }
        #expect(throws: WAVError.badFormat("block align 3 is not 1 channels x 2 bytes")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt(align: 3)) + Self.chunk("data", [])))
        }
        #expect(throws: WAVError.badFormat("0 channels (1 to 32 supported)")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt(channels: 0, align: 0)) + Self.chunk("data", [])))
        }
        #expect(throws: WAVError.badChunkSize(chunk: "data", offset: 36, size: 3, reason: "not a multiple of the 2-byte frame")) {
            try Self.decode(Self.riff(Self.chunk("fmt ", Self.fmt()) + Self.chunk("data", [1, 2, 3])))
        }
    }

    @Test func extensibleWithForeignSubformatIsRefused() throws {
        var b = try AudioFixtures.bytes("wav_3ch_s24.wav")
        b[12 + 8 + 26 + 4] = 0x11         // corrupt the KSDATAFORMAT GUID tail
        #expect(throws: WAVError.unsupportedCodec(tag: 0xFFFE)) { try Self.decode(b) }
    }

    /// Every prefix and many single-byte corruptions of real files either decode or throw;
    /// none traps.
    @Test func prefixesAndCorruptionsNeverTrap() throws {
        for name in ["wav_s16.wav", "wav_3ch_s24.wav", "wav_f32.wav"] {
            let b = try AudioFixtures.bytes(name)
            for n in 0..<min(b.count, 120) { _ = try? Self.decode(Array(b[0..<n])) }
            var rng = SplitMix(seed: 7)
            for _ in 0..<500 {
                var c = b
                c[Int(rng.next() % 80)] = UInt8(truncatingIfNeeded: rng.next())
                _ = try? Self.decode(c)
            }
        }
    }
}
