/// Sample encoding of a WAV data chunk.
public enum WAVEncoding: Equatable {
    case pcmUnsigned8
    case pcmSigned(bits: Int)     // 16, 24, 32 (little-endian, two's complement)
    case float(bits: Int)         // 32, 64 (IEEE 754)
}

/// The fmt fields that matter for decoding.
public struct WAVFormat: Equatable {
    public var sampleRate: Int
    public var channels: Int
    public var encoding: WAVEncoding
    /// Bytes per frame (all channels of one sample instant).
    public var blockAlign: Int
    /// True when the fmt chunk was WAVE_FORMAT_EXTENSIBLE.
    public var extensible: Bool
}

/// Decoded audio: mono samples in [-1, 1] (channels averaged), at the file's rate.
public struct WAVAudio {
    public var format: WAVFormat
    public var samples: [Float]
}

/// RIFF/WAVE reader: walks the chunks (any order, odd sizes padded), reads `fmt ` (plain or
/// WAVE_FORMAT_EXTENSIBLE) and `data`, and decodes integer PCM (8 unsigned, 16/24/32 signed) and
/// IEEE float (32/64) to Float, scaled as torchaudio.load does (int / 2^(bits-1)).
/// Multi-channel audio is downmixed to mono by averaging the channels.
public enum WAVReader {
    /// Stated rates and channel counts outside these are refused: they size the resampler and
    /// the downmix loop. 384 kHz is the highest rate audio interfaces offer.
    public static let sampleRates = 1...384_000
    public static let maxChannels = 32

    /// Parses and decodes a whole file.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(WAVError) -> WAVAudio {
        let (format, dataStart, dataCount) = try parseHeader(bytes)
        var samples = [Float](repeating: 0, count: dataCount / format.blockAlign)
        samples.withUnsafeMutableBufferPointer { out in
            decodeFrames(bytes, start: dataStart, frames: out.count, format: format, into: out)
        }
        return WAVAudio(format: format, samples: samples)
    }

    /// Decodes and brings the audio to `requiredRate` (the model's): other rates are resampled
    /// (`Resampler`) when `resample` is true, refused with `WAVError.sampleRate` otherwise.
    /// `format.sampleRate` then reports the rate of `samples`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, requiredRate: Int,
                              resample: Bool = false) throws(WAVError) -> WAVAudio {
        let (format, _, _) = try parseHeader(bytes)
        let rate = format.sampleRate
        if rate != requiredRate {
            // Checked before decoding, so a refused file costs no allocation.
            guard resample else { throw WAVError.sampleRate(found: rate, required: requiredRate) }
            if let reason = Resampler.refusal(inputRate: rate, outputRate: requiredRate) {
                throw WAVError.resampling(found: rate, required: requiredRate, reason: reason)
            }
        }
        var audio = try decode(bytes)
        guard rate != requiredRate, let resampler = Resampler(inputRate: rate, outputRate: requiredRate) else { return audio }
        audio.samples = resampler.process(audio.samples)
        audio.format.sampleRate = requiredRate
        return audio
    }

    /// Locates and validates the chunks: the format, and the data chunk's byte range.
    public static func parseHeader(_ bytes: UnsafeRawBufferPointer) throws(WAVError) -> (WAVFormat, Int, Int) {
        try parseHeader(size: bytes.count) { at, out in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[at..<at + out.count]))
            return nil
        }
    }

    /// The same walk over a file of `size` bytes that is not in memory: `read(offset, buffer)` fills
    /// `buffer` from the file and returns nil, or why it could not (the walker reads only chunk
    /// headers and the fmt body, inside `size`). A stream reads its header this way, so that no
    /// part of a long file needs to be mapped.
    public static func parseHeader(size n: Int, read: (Int, UnsafeMutableRawBufferPointer) -> String?)
        throws(WAVError) -> (WAVFormat, Int, Int) {
        func fetch(_ at: Int, _ count: Int) throws(WAVError) -> [UInt8] {   // at + count <= n
            var b = [UInt8](repeating: 0, count: count)
            if let why = b.withUnsafeMutableBytes({ read(at, $0) }) { throw WAVError.unreadable(why) }
            return b
        }
        func tag(_ b: [UInt8], _ at: Int) -> String { b.withUnsafeBytes { WAVReader.tag($0, at) } }
        guard n >= 12 else {
            if n >= 4 { let found = tag(try fetch(0, 4), 0); if found != "RIFF" { throw WAVError.notWAVE("starts with '\(found)'") } }
            throw WAVError.truncated(offset: n, needed: "a 12-byte RIFF/WAVE header")
        }
        let head = try fetch(0, 12)
        guard tag(head, 0) == "RIFF" else {
            let found = tag(head, 0)
            throw WAVError.notWAVE(found == "RF64" ? "RF64 (64-bit WAV) is not supported" : "starts with '\(found)', not 'RIFF'")
        }
        guard tag(head, 8) == "WAVE" else { throw WAVError.notWAVE("RIFF form type is '\(tag(head, 8))', not 'WAVE'") }
        var at = 12
        var format: WAVFormat? = nil
        var data: (Int, Int)? = nil
        while at < n {
            guard n - at >= 8 else { throw WAVError.truncated(offset: at, needed: "an 8-byte chunk header") }
            let header = try fetch(at, 8)
            let id = tag(header, 0)
            let size = Int(header.withUnsafeBytes { u32($0, 4) })
            let body = at + 8
            if id == "data" {
                if size == 0xFFFF_FFFF {                 // streamed writers: length unknown, to the end
                    data = (body, n - body)
                    break
                }
                guard size <= n - body else {
                    throw WAVError.truncated(offset: n, needed: "\(size) data bytes from byte \(body), found \(n - body)")
                }
                data = (body, size)
            } else if id == "fmt " {
                guard size <= n - body else {
                    throw WAVError.badChunkSize(chunk: id, offset: at, size: size, reason: "runs past the end of the file (\(n) bytes)")
                }
                let fields = try fetch(body, min(size, 40))
                // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
                format = try fields.withUnsafeBytes { b -> Result<WAVFormat, WAVError> in
                    do throws(WAVError) { return .success(try parseFormat(b, at: 0, size: size, chunkOffset: at)) }
                    catch { return .failure(error) }
                }.get()
            } else {
                guard size <= n - body else {
                    throw WAVError.badChunkSize(chunk: id, offset: at, size: size, reason: "runs past the end of the file (\(n) bytes)")
                }
            }
            at = body + size + (size & 1)               // chunks are padded to even sizes
        }
        guard let fmt = format else { throw WAVError.missingChunk("fmt ") }
        guard let (start, count) = data else { throw WAVError.missingChunk("data") }
        guard count % fmt.blockAlign == 0 || count == n - start else {
            throw WAVError.badChunkSize(chunk: "data", offset: start - 8, size: count,
                                        reason: "not a multiple of the \(fmt.blockAlign)-byte frame")
        }
        return (fmt, start, count - count % fmt.blockAlign)
    }

    static func parseFormat(_ b: UnsafeRawBufferPointer, at: Int, size: Int, chunkOffset: Int) throws(WAVError) -> WAVFormat {
        guard size >= 16 else {
            throw WAVError.badChunkSize(chunk: "fmt ", offset: chunkOffset, size: size, reason: "shorter than the 16 bytes of PCMWAVEFORMAT")
        }
        var formatTag = Int(u16(b, at))
        let channels = Int(u16(b, at + 2))
        let rate = Int(u32(b, at + 4))
        let blockAlign = Int(u16(b, at + 12))
        let bits = Int(u16(b, at + 14))
        var extensible = false
        if formatTag == 0xFFFE {
            guard size >= 40 else {
                throw WAVError.badChunkSize(chunk: "fmt ", offset: chunkOffset, size: size,
                                            reason: "WAVE_FORMAT_EXTENSIBLE needs 40 bytes")
            }
            let cbSize = Int(u16(b, at + 16))
            guard cbSize >= 22 else { throw WAVError.badFormat("WAVE_FORMAT_EXTENSIBLE with cbSize \(cbSize) < 22") }
            let validBits = Int(u16(b, at + 18))
            guard validBits <= bits else { throw WAVError.badFormat("valid bits \(validBits) exceed the \(bits)-bit container") }
            // SubFormat GUID: the format tag in its first two bytes, then the fixed KSDATAFORMAT tail.
            let tail: [UInt8] = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
            for i in 0..<14 where b[at + 26 + i] != tail[i] {
                throw WAVError.unsupportedCodec(tag: 0xFFFE)
            }
            formatTag = Int(u16(b, at + 24))
            extensible = true
        }
        let encoding: WAVEncoding
        switch formatTag {
        case 1:
            switch bits {
            case 8: encoding = .pcmUnsigned8
            case 16, 24, 32: encoding = .pcmSigned(bits: bits)
            default: throw WAVError.unsupportedBits(codec: "PCM", bits: bits)
            }
        case 3:
            guard bits == 32 || bits == 64 else { throw WAVError.unsupportedBits(codec: "float", bits: bits) }
            encoding = .float(bits: bits)
        default:
            throw WAVError.unsupportedCodec(tag: formatTag)
        }
        guard channels >= 1 && channels <= maxChannels else {
            throw WAVError.badFormat("\(channels) channels (1 to \(maxChannels) supported)")
        }
        guard sampleRates.contains(rate) else {
            throw WAVError.badFormat("sample rate \(rate) Hz (\(sampleRates.lowerBound) Hz to \(sampleRates.upperBound) Hz supported)")
        }
        guard blockAlign == channels * (bits / 8) else {
            throw WAVError.badFormat("block align \(blockAlign) is not \(channels) channels x \(bits / 8) bytes")
        }
        return WAVFormat(sampleRate: rate, channels: channels, encoding: encoding,
                         blockAlign: blockAlign, extensible: extensible)
    }

    /// Decodes `frames` frames starting at byte `start`, averaging channels.
    public static func decodeFrames(_ b: UnsafeRawBufferPointer, start: Int, frames: Int, format: WAVFormat,
                                    into out: UnsafeMutableBufferPointer<Float>) {
        let ch = format.channels
        let width = format.blockAlign / ch
        for f in 0..<frames {
            var sum = 0.0
            var at = start + f * format.blockAlign
            for _ in 0..<ch {
                sum += sampleValue(b, at, format.encoding)
                at += width
            }
            out[f] = Float(ch == 1 ? sum : sum / Double(ch))
        }
    }

    @inline(__always)
    static func sampleValue(_ b: UnsafeRawBufferPointer, _ at: Int, _ encoding: WAVEncoding) -> Double {
        switch encoding {
        case .pcmUnsigned8:
            return (Double(b[at]) - 128) / 128
        case .pcmSigned(let bits):
            switch bits {
            case 16: return Double(Int16(bitPattern: u16(b, at))) / 32768
            case 24:
                let raw = Int32(bitPattern: UInt32(b[at]) << 8 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 24)
                return Double(raw >> 8) / 8388608
            default: return Double(Int32(bitPattern: u32(b, at))) / 2147483648
            }
        case .float(let bits):
            if bits == 32 { return Double(Float(bitPattern: u32(b, at))) }
            let lo = UInt64(u32(b, at)), hi = UInt64(u32(b, at + 4))
            return Double(bitPattern: lo | hi << 32)
        }
    }

    @inline(__always) static func u16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    @inline(__always) static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    /// Four bytes as text, non-printable bytes as '?'.
    static func tag(_ b: UnsafeRawBufferPointer, _ at: Int) -> String {
        var s = ""
        for i in 0..<4 {
            let c = b[at + i]
            s.unicodeScalars.append(Unicode.Scalar(c >= 0x20 && c < 0x7F ? c : 0x3F))
        }
        return s
    }
}
