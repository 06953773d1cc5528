import EdgePackRuntime

/// A WAV file's samples at a required rate, a piece at a time: read a block at a time into a small
/// buffer (`MappedFile.read`, not through the mapping, so the file's pages never become resident),
/// decoded and resampled as they are asked for, so memory stays flat in the file's length. The
/// samples are those of `WAVReader.decode(_:requiredRate:resample: true)`.
public struct WAVStream {
    let file: MappedFile
    public let format: WAVFormat
    let dataStart: Int
    var frames: Int
    let outputRate: Int
    var frame = 0                        // the next frame to decode
    var resampler: ResamplerStream?
    var pending: [Float] = []            // decoded, not yet handed out
    var decoded: [Float] = []
    var raw: [UInt8] = []                // one block of the file's bytes

    /// Frames read and decoded at a time.
    static let block = 1024

    /// Refuses what `WAVReader.decode(_:requiredRate:resample: true)` refuses, before decoding.
    public init(file: MappedFile, requiredRate: Int) throws(WAVError) {
        // The header too is read with `MappedFile.read`: a first touch of the mapping would bring
        // in the pages around it (the kernel maps up to 64 KiB around a fault).
        let (format, start, count) = try WAVReader.parseHeader(size: file.bytes.count) { at, out in
            do throws(IOError) {
                return try file.read(at: at, into: out) == out.count ? nil : "the file shrank while it was read"
            } catch { return error.reason }
        }
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

    /// Up to `count` more samples into `out` (replacing its contents); none at the end. A file
    /// that shrinks while it is read ends where it now ends; a failed read throws.
    public mutating func read(_ count: Int, into out: inout [Float]) throws(IOError) {
        while pending.count < count && (frame < frames || resampler != nil) { try decodeMore() }
        let n = min(count, pending.count)
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: pending[0..<n])
        pending.removeFirst(n)
    }

    /// Appends the next block of the file to `pending` (or, past its end, the resampler's last samples).
    private mutating func decodeMore() throws(IOError) {
        var n = 0
        if frame < frames {
            let format = format, want = min(WAVStream.block, frames - frame)
            if raw.count != want * format.blockAlign { raw = [UInt8](repeating: 0, count: want * format.blockAlign) }
            let offset = dataStart + frame * format.blockAlign, file = file
            // withUnsafeMutableBytes rethrows untyped errors: carry the typed one out in a Result.
            let got = try raw.withUnsafeMutableBytes { b -> Result<Int, IOError> in
                do throws(IOError) { return .success(try file.read(at: offset, into: b)) } catch { return .failure(error) }
            }.get()
            n = got / format.blockAlign
            if n < want { frames = frame + n }  // the file shrank while read: it ends here now
            if decoded.count != n { decoded = [Float](repeating: 0, count: n) }
            raw.withUnsafeBytes { b in
                decoded.withUnsafeMutableBufferPointer { d in
                    WAVReader.decodeFrames(b, start: 0, frames: n, format: format, into: d)
                }
            }
            frame += n
        }
        var more: [Float] = []
        swap(&more, &pending)
        var resampling = resampler
        resampler = nil
        if n > 0 {
            if resampling != nil {
                decoded.withUnsafeBufferPointer { resampling!.push($0, into: &more) }
            } else {
                more.append(contentsOf: decoded)
            }
        } else {
            resampling?.finish(into: &more)
            resampling = nil
        }
        resampler = resampling
        swap(&more, &pending)
    }
}
