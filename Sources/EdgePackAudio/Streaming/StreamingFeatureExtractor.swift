import EdgePackFormat

/// Log-mel features of a continuous stream, one frame per hop.
///
/// Frame k is the front end's frame referenced at stream sample k * hop: it covers samples
/// [k*hop - offset, k*hop - offset + n_fft) with offset = n_fft/2 when centred, and is computed
/// once, as soon as its last sample arrives. Only n_fft samples are kept (a ring), plus the
/// first n_fft/2 + 1 samples of the stream, which the reflect padding of the very first frames
/// needs. Frames go into a ring holding one model window (`framesPerClip` frames).
///
/// The window ending at frame k covers the clip [s0, s0 + clip_samples) with s0 = (k - F + 1)*hop,
/// F = frames per clip. Its frames are those of the continuous stream: they equal the offline
/// (torchaudio) features of that clip except at the clip's edges, where torchaudio reflects the
/// clip's own samples and the stream uses the real neighbouring audio. At the start of the stream
/// reflection is used as in torchaudio, so a stream that is a single clip gives exactly the
/// offline features for every frame whose support ends inside the stream.
public final class StreamingFeatureExtractor {
    public let frontEnd: LogMelFrontEnd
    public let framesPerWindow: Int
    public let nMels: Int
    private let nFFT: Int
    private let hop: Int
    private let offset: Int
    private var ring: [Float]                 // last n_fft samples, index = stream position % n_fft
    private var head: [Float]                 // first n_fft/2 + 1 samples (start reflection)
    private var frames: [Float]               // framesPerWindow x nMels, frame k at slot k % F
    private var column: [Float]
    /// Samples pushed so far.
    public private(set) var samplesSeen: Int64 = 0
    /// Frames computed so far (frame indices 0..<framesComputed).
    public private(set) var framesComputed: Int64 = 0

    public init(frontEnd: LogMelFrontEnd) {
        self.frontEnd = frontEnd
        let s = frontEnd.spec
        nFFT = s.nFFT; hop = s.hopLength; nMels = s.nMels
        offset = frontEnd.frameOffset
        framesPerWindow = max(1, s.framesPerClip)
        ring = [Float](repeating: 0, count: nFFT)
        head = []
        head.reserveCapacity(nFFT / 2 + 1)
        frames = [Float](repeating: 0, count: framesPerWindow * nMels)
        column = [Float](repeating: 0, count: nMels)
    }

    public convenience init(spec: AudioFrontEndSpec) throws(FrontEndError) {
        self.init(frontEnd: try LogMelFrontEnd(spec: spec))
    }

    /// Forgets the stream (next sample is sample 0 again).
    public func reset() {
        samplesSeen = 0; framesComputed = 0
        head.removeAll(keepingCapacity: true)
        for i in 0..<ring.count { ring[i] = 0 }
    }

    /// Stream samples needed before frame k can be computed.
    @inline(__always) func samplesNeeded(frame k: Int64) -> Int64 {
        let end = k * Int64(hop) - Int64(offset) + Int64(nFFT)
        // Reflection of the first frames reaches sample `offset` (x[-i] = x[i]).
        return frontEnd.spec.padReflect && offset > 0 ? max(end, Int64(offset) + 1) : end
    }

    /// Appends samples; `onFrame(k)` runs after frame k is computed (the window ending at frame k
    /// can then be read with `window(into:)`).
    public func push(_ samples: UnsafeBufferPointer<Float>, onFrame: (Int64) -> Void) {
        var i = 0
        let mask = nFFT - 1
        while i < samples.count {
            // Copy up to the next frame's last needed sample.
            let need = samplesNeeded(frame: framesComputed)
            let take = Int(min(Int64(samples.count - i), max(need - samplesSeen, 0)))
            for j in 0..<take {
                let x = samples[i + j]
                let pos = samplesSeen + Int64(j)
                ring[Int(pos) & mask] = x
                if pos <= Int64(offset) && head.count <= offset { head.append(x) }
            }
            i += take
            samplesSeen += Int64(take)
            while samplesSeen >= samplesNeeded(frame: framesComputed) {
                computeFrame(framesComputed)
                framesComputed += 1
                onFrame(framesComputed - 1)
            }
        }
    }

    public func push(_ samples: [Float], onFrame: (Int64) -> Void) {
        samples.withUnsafeBufferPointer { push($0, onFrame: onFrame) }
    }

    private func computeFrame(_ k: Int64) {
        let start = k * Int64(hop) - Int64(offset)
        let mask = nFFT - 1
        let reflect = frontEnd.spec.padReflect
        ring.withUnsafeBufferPointer { r in
        head.withUnsafeBufferPointer { h in
        column.withUnsafeMutableBufferPointer { col in
            frontEnd.computeFrame(fill: { frame in
                for j in 0..<frame.count {
                    let pos = start + Int64(j)
                    if pos >= 0 { frame[j] = Double(r[Int(pos) & mask]) }
                    else if reflect { frame[j] = Double(h[Int(-pos)]) }
                    else { frame[j] = 0 }
                }
            }, into: col)
        }}}
        let slot = Int(k % Int64(framesPerWindow)) * nMels
        for m in 0..<nMels { frames[slot + m] = column[m] }
    }

    /// True once a whole window of frames exists.
    public var windowReady: Bool { framesComputed >= Int64(framesPerWindow) }

    /// First stream sample of the clip whose window ends at the newest frame.
    public var windowStartSample: Int64 { (framesComputed - Int64(framesPerWindow)) * Int64(hop) }

    /// The newest window, [n_mels, frames] mel-major (the offline layout), top_db applied.
    public func window(into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= nMels * framesPerWindow)
        let f = framesPerWindow
        let oldest = Int((framesComputed - Int64(f)) % Int64(f) + Int64(f)) % f
        frames.withUnsafeBufferPointer { ring in
            for t in 0..<f {
                let slot = ((oldest + t) % f) * nMels
                for m in 0..<nMels { out[m * f + t] = ring[slot + m] }
            }
        }
        frontEnd.applyTopDB(UnsafeMutableBufferPointer(rebasing: out[0..<(nMels * f)]))
    }
}
