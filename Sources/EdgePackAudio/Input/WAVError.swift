/// Why a WAV file was refused. Each case names where and what was expected.
public enum WAVError: Error, Equatable {
    /// The file ends before a structure it announces (offset, what was being read).
    case truncated(offset: Int, needed: String)
    /// Not a RIFF/WAVE file (what was found at the start).
    case notWAVE(String)
    /// A chunk's size does not fit the file or its contents.
    case badChunkSize(chunk: String, offset: Int, size: Int, reason: String)
    /// The fmt chunk is missing, or the data chunk is missing.
    case missingChunk(String)
    /// A codec other than integer PCM or IEEE float (the format tag).
    case unsupportedCodec(tag: Int)
    /// A sample width the codec does not support here.
    case unsupportedBits(codec: String, bits: Int)
    /// Inconsistent fmt fields (channels 0, block align not channels * bytes per sample, ...).
    case badFormat(String)
    /// The file's sample rate differs from the one required and resampling was not requested.
    case sampleRate(found: Int, required: Int)
    /// The file could not be read (the system's reason), or it shrank while its header was read.
    case unreadable(String)
    /// Resampling was requested but these rates are beyond the resampler (the reason says which limit).
    case resampling(found: Int, required: Int, reason: String)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed):
            return "WAV truncated at byte \(offset): expected \(needed)"
        case .notWAVE(let found):
            return "not a RIFF/WAVE file: \(found)"
        case .badChunkSize(let chunk, let offset, let size, let reason):
            return "WAV chunk '\(chunk)' at byte \(offset) has size \(size): \(reason)"
        case .missingChunk(let name):
            return "WAV has no '\(name)' chunk"
        case .unsupportedCodec(let tag):
            return "WAV codec \(tag) is not supported (only PCM = 1 and IEEE float = 3, plain or in WAVE_FORMAT_EXTENSIBLE)"
        case .unsupportedBits(let codec, let bits):
            return "WAV \(codec) with \(bits) bits per sample is not supported (PCM: 8/16/24/32, float: 32/64)"
        case .badFormat(let reason):
            return "WAV fmt chunk is inconsistent: \(reason)"
        case .sampleRate(let found, let required):
            return "WAV sample rate is \(found) Hz, the model needs \(required) Hz (allow resampling, or convert: sox in.wav -r \(required) out.wav)"
        case .unreadable(let reason):
            return "cannot read the WAV file: \(reason)"
        case .resampling(let found, let required, let reason):
            return "cannot resample the WAV's \(found) Hz to the model's \(required) Hz: \(reason) (convert first: sox in.wav -r \(required) out.wav)"
        }
    }
}
