import EdgePackRuntime

/// A WAV file's samples at a required rate, a piece at a time: decoded (and resampled) from the
/// mapped file as they are asked for, with the pages read released behind, so memory stays flat
/// in the file's length. The samples are those of `WAVReader.decode(_:requiredRate:resample: true)`.
public struct WAVStream {
    let file: MappedFile
    public let format: WAVFormat
    let dataStart: Int
    let frames: Int
    let outputRate: Int
    var frame = 0                        // the next frame to decode
    var released = 0                     // file bytes given back so far
    var resampler: ResamplerStream?
    var pending: [Float] = []            // decoded, not yet handed out
    var decoded: [Float] = []

    /// Frames decoded at a time, and file bytes released at a time.
    static let block = 1024
    static let releaseStep = 1 << 14

    /// Refuses what `WAVReader.decode(_:requiredRate:resample: true)` refuses, before decoding.
    public init(file: MappedFile, requiredRate: Int) throws(WAVError) {
        let (format, start, count) = try WAVReader.parseHeader(file.bytes)
        let rate = format.sampleRate
        if rate != requiredRate {
            if let reason = Resampler.refusal(inputRate: rate, outputRate: requiredRate) {
                throw WAVError.resampling(found: rate, required: requiredRate, reason: reason)
            }
            resampler = Resampler(inputRate: rate, outputRate: requiredRate).map { ResamplerStream($0) }
        }
        self.file = file
        self.format = format
        dataStart = start
        frames = count / format.blockAlign
        outputRate = requiredRate
    }

    /// About how many samples the stream gives (exact without resampling): for progress reports.
    public var expectedSamples: Int64 { Int64(frames) * Int64(outputRate) / Int64(max(format.sampleRate, 1)) }

    /// Up to `count` more samples into `out` (replacing its contents); none at the end.
    public mutating func read(_ count: Int, into out: inout [Float]) {
        while pending.count < count && (frame < frames || resampler != nil) { decodeMore() }
        let n = min(count, pending.count)
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: pending[0..<n])
        pending.removeFirst(n)
    }

    /// Appends the next block of the file to `pending` (or, past its end, the resampler's last samples).
    private mutating func decodeMore() {
        var more: [Float] = []
        swap(&more, &pending)
        var resampling = resampler
        resampler = nil
        if frame < frames {
            let n = min(WAVStream.block, frames - frame)
            if decoded.count != n { decoded = [Float](repeating: 0, count: n) }
            let bytes = file.bytes, start = dataStart + frame * format.blockAlign, format = format
            decoded.withUnsafeMutableBufferPointer { d in
                WAVReader.decodeFrames(bytes, start: start, frames: n, format: format, into: d)
            }
            frame += n
            if resampling != nil {
                decoded.withUnsafeBufferPointer { resampling!.push($0, into: &more) }
            } else {
                more.append(contentsOf: decoded)
            }
            let read = dataStart + frame * format.blockAlign
            if read - released >= WAVStream.releaseStep {
                file.release(upTo: read)
                released = read
            }
        } else {
            resampling?.finish(into: &more)
            resampling = nil
        }
        resampler = resampling
        swap(&more, &pending)
    }
}
