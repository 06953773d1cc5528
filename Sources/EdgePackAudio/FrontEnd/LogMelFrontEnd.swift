import EdgePackFormat
import EdgePackRuntime

/// Log-mel features with torchaudio's conventions: `MelSpectrogram` (STFT of windowed frames,
/// optional window normalization, |X|^power, mel filterbank) followed by `AmplitudeToDB`
/// (multiplier * log10(max(x, amin)), reference 1, optional top_db clamp over the whole
/// spectrogram). Computed in double precision; features are returned as Float.
///
/// Frame t of a clip covers samples [t*hop - offset, t*hop - offset + n_fft), offset = n_fft/2
/// when centred (torch.stft center=True) and 0 otherwise; samples outside the clip come from
/// reflection (pad_mode "reflect") or are zero.
public final class LogMelFrontEnd {
    public let spec: AudioFrontEndSpec
    public let melBank: MelFilterbank
    private let fft: RealFFT
    private let window: [Double]
    /// Factor applied to |X|^power: (sum w^2)^(-power/2) when normalized, else 1.
    private let powerScale: Double
    private let amin: Double
    private var frameBuffer: [Double]
    private var spectrumRe: [Double]
    private var spectrumIm: [Double]
    private var power: [Double]
    private var mel: [Double]

    public init(spec: AudioFrontEndSpec) throws(FrontEndError) {
        try LogMelFrontEnd.validate(spec)
        self.spec = spec
        fft = RealFFT(size: spec.nFFT)
        window = AnalysisWindow.padded(spec.window, winLength: spec.winLength, nFFT: spec.nFFT)
        var energy = 0.0
        for w in window { energy += w * w }
        let p = Double(spec.power)
        if !spec.normalized { powerScale = 1 }
        else if p == 2 { powerScale = 1 / energy }
        else if p == 1 { powerScale = 1 / energy.squareRoot() }
        else { powerScale = 1 / EPMath.pow(energy.squareRoot(), p) }
        amin = Double(spec.amin)
        melBank = MelFilterbank(sampleRate: spec.sampleRate, nFFT: spec.nFFT, nMels: spec.nMels,
                                fMin: Double(spec.fMin), fMax: Double(spec.fMax), scale: spec.melScale)
        frameBuffer = [Double](repeating: 0, count: spec.nFFT)
        let bins = spec.nFFT / 2 + 1
        spectrumRe = [Double](repeating: 0, count: bins)
        spectrumIm = [Double](repeating: 0, count: bins)
        power = [Double](repeating: 0, count: bins)
        mel = [Double](repeating: 0, count: spec.nMels)
    }

    static func validate(_ s: AudioFrontEndSpec) throws(FrontEndError) {
        guard s.sampleRate > 0 else { throw FrontEndError("sample_rate \(s.sampleRate) must be positive") }
        guard s.nFFT >= 4, s.nFFT <= 1 << 20, s.nFFT & (s.nFFT - 1) == 0 else {
            throw FrontEndError("n_fft \(s.nFFT) must be a power of two between 4 and 2^20")
        }
        guard s.winLength >= 1, s.winLength <= s.nFFT else {
            throw FrontEndError("win_length \(s.winLength) must be in 1...n_fft (\(s.nFFT))")
        }
        guard s.hopLength >= 1, s.hopLength <= s.nFFT else {
            throw FrontEndError("hop_length \(s.hopLength) must be in 1...n_fft (\(s.nFFT))")
        }
        guard s.nMels >= 1, s.nMels <= 1024 else { throw FrontEndError("n_mels \(s.nMels) must be in 1...1024") }
        guard s.fMin >= 0, s.fMax > s.fMin else { throw FrontEndError("mel range must satisfy 0 <= f_min < f_max") }
        guard s.power > 0, s.power.isFinite else { throw FrontEndError("power must be positive") }
        guard s.amin > 0, s.amin.isFinite else { throw FrontEndError("amin must be positive") }
        guard s.topDB >= 0, s.topDB.isFinite else { throw FrontEndError("top_db must be >= 0 (0 disables it)") }
        guard s.clipSamples >= 1 else { throw FrontEndError("clip_samples \(s.clipSamples) must be positive") }
        if !s.center {
            guard s.clipSamples >= s.nFFT else {
                throw FrontEndError("clip_samples \(s.clipSamples) is shorter than n_fft \(s.nFFT) without centring")
            }
        }
    }

    /// Samples before a frame's first sample and its reference point (t * hop).
    public var frameOffset: Int { spec.center ? spec.nFFT / 2 : 0 }

    /// Frames of a signal of `length` samples (torch.stft's count).
    public func frameCount(length: Int) -> Int {
        if spec.center { return 1 + length / spec.hopLength }
        return length >= spec.nFFT ? 1 + (length - spec.nFFT) / spec.hopLength : 0
    }

    /// Computes one frame. `fill` receives the n_fft-sample frame buffer and must write the raw
    /// (unwindowed) samples; `out` receives n_mels values (dB when to_db, before top_db).
    public func computeFrame(fill: (UnsafeMutableBufferPointer<Double>) -> Void,
                             into out: UnsafeMutableBufferPointer<Float>) {
        let n = spec.nFFT
        frameBuffer.withUnsafeMutableBufferPointer { frame in
            fill(frame)
            window.withUnsafeBufferPointer { w in
                for i in 0..<n { frame[i] *= w[i] }
            }
        }
        frameBuffer.withUnsafeBufferPointer { frame in
            spectrumRe.withUnsafeMutableBufferPointer { re in
                spectrumIm.withUnsafeMutableBufferPointer { im in
                    fft.forward(frame, re: re, im: im)
                }
            }
        }
        let p = Double(spec.power)
        let scale = powerScale
        spectrumRe.withUnsafeBufferPointer { re in
        spectrumIm.withUnsafeBufferPointer { im in
        power.withUnsafeMutableBufferPointer { pw in
            for k in 0..<pw.count {
                let sq = re[k] * re[k] + im[k] * im[k]
                if p == 2 { pw[k] = sq * scale }
                else if p == 1 { pw[k] = sq.squareRoot() * scale }
                else { pw[k] = EPMath.pow(sq.squareRoot(), p) * scale }
            }
        }}}
        power.withUnsafeBufferPointer { pw in
            mel.withUnsafeMutableBufferPointer { m in melBank.apply(pw, into: m) }
        }
        let multiplier = Double(spec.dbMultiplier)
        for m in 0..<spec.nMels {
            if spec.toDB {
                out[m] = Float(multiplier * EPMath.log10(max(mel[m], amin)))
            } else {
                out[m] = Float(mel[m])
            }
        }
    }

    /// Features of a whole signal, torchaudio-style: [n_mels, frames] row-major (mel-major),
    /// with top_db applied over the whole result.
    public func features(_ samples: UnsafeBufferPointer<Float>) -> [Float] {
        let length = samples.count
        let frames = frameCount(length: length)
        let nMels = spec.nMels
        var out = [Float](repeating: 0, count: nMels * frames)
        var column = [Float](repeating: 0, count: nMels)
        for t in 0..<frames {
            let start = t * spec.hopLength - frameOffset
            column.withUnsafeMutableBufferPointer { col in
                computeFrame(fill: { frame in
                    for i in 0..<frame.count {
                        frame[i] = Double(LogMelFrontEnd.padded(samples, start + i, reflect: spec.padReflect))
                    }
                }, into: col)
            }
            for m in 0..<nMels { out[m * frames + t] = column[m] }
        }
        out.withUnsafeMutableBufferPointer { applyTopDB($0) }
        return out
    }

    public func features(_ samples: [Float]) -> [Float] {
        samples.withUnsafeBufferPointer { features($0) }
    }

    /// Features of the model's clip: `samples` cut or zero-padded at the end to clip_samples
    /// (BiFSMN pads/cuts each utterance to 1 s this way), giving [n_mels, framesPerClip].
    public func clipFeatures(_ samples: [Float]) -> [Float] {
        var clip = [Float](repeating: 0, count: spec.clipSamples)
        for i in 0..<min(samples.count, clip.count) { clip[i] = samples[i] }
        return features(clip)
    }

    /// AmplitudeToDB's top_db: values below (max - top_db) are raised to it. No-op when
    /// top_db is 0 or the features are not in dB.
    public func applyTopDB(_ values: UnsafeMutableBufferPointer<Float>) {
        guard spec.toDB, spec.topDB > 0, values.count > 0 else { return }
        var peak = values[0]
        for v in values where v > peak { peak = v }
        let floor = peak - spec.topDB
        for i in 0..<values.count where values[i] < floor { values[i] = floor }
    }

    /// Sample `index` of `x` extended by reflection (x[-i] = x[i], no edge repeat) or zeros.
    @inline(__always)
    static func padded(_ x: UnsafeBufferPointer<Float>, _ index: Int, reflect: Bool) -> Float {
        let n = x.count
        if index >= 0 && index < n { return x[index] }
        if !reflect || n == 0 { return 0 }
        if n == 1 { return x[0] }
        // Mirror about the first and last samples; fold again for signals shorter than the pad.
        let period = 2 * (n - 1)
        var i = index % period
        if i < 0 { i += period }
        if i >= n { i = period - i }
        return x[i]
    }
}
