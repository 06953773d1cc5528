import CEdgePackALSA

/// Capture settings. `device` is an ALSA PCM name: "default", "plughw:CARD=Device,DEV=0",
/// "hw:1,0", or one defined in an .asoundrc.
public struct ALSAConfig: Equatable {
    public var device = "default"
    public var sampleRate = 16000
    /// Frames per hardware period (one read), and the ring the driver keeps.
    public var periodFrames = 512
    public var bufferFrames = 4096
    public init(device: String = "default") { self.device = device }
}

/// An ALSA device could not be opened, configured or read.
public struct ALSAError: Error, Equatable {
    public enum Stage: Equatable, Sendable { case library, open, configure(String), read, list }
    public let device: String
    public let stage: Stage
    public let code: Int32

    public var description: String {
        let reason = String(cString: ep_alsa_strerror(code))
        switch stage {
        case .library:
            return "cannot capture from ALSA device '\(device)': libasound.so.2 could not be loaded (install libasound2)"
        case .open:
            return "cannot open ALSA capture device '\(device)': \(reason) (`kws --list-devices` lists the capture devices)"
        case .configure(let what):
            var hint = ""
            if what == "sample format" { hint = " (the device offers none of S16_LE, S32_LE, FLOAT_LE; try plughw:)" }
            if what == "sample rate" { hint = " (the device does not capture at this rate; use plughw:... or default, which convert)" }
            return "ALSA device '\(device)' refused the \(what): \(reason)" + hint
        case .read:
            return "reading ALSA device '\(device)' failed: \(reason)"
        case .list:
            return "cannot list the ALSA capture devices: \(reason)"
        }
    }
}

/// Sample format the device delivers.
public enum ALSASampleFormat: Equatable { case s16, s32, float32 }

/// Blocking interleaved capture from an ALSA device, delivered as mono Float samples in [-1, 1]
/// (channels averaged when the device cannot do mono). Overruns are recovered with
/// snd_pcm_recover and counted in `overruns`. Reads go one period at a time: libasound's file
/// plugin, among others, mishandles reads larger than the buffer.
public final class ALSACapture {
    public let config: ALSAConfig
    public let format: ALSASampleFormat
    public let channels: Int
    public let periodFrames: Int
    public let bufferFrames: Int
    private var handle: OpaquePointer?
    private var raw: [UInt8]
    private var overrunCount: UInt = 0

    public init(config: ALSAConfig) throws(ALSAError) {
        self.config = config
        var params = ep_alsa_params(rate: UInt32(config.sampleRate), channels: 1,
                                    period_frames: UInt(max(1, config.periodFrames)),
                                    buffer_frames: UInt(max(2, config.bufferFrames)), format: 0)
        var stage: Int32 = 0
        var capture: OpaquePointer? = nil
        let code = config.device.withCString { ep_alsa_open($0, &params, &capture, &stage) }
        guard code == 0, let opened = capture else {
            let what: ALSAError.Stage
            switch Int(stage) {
            case Int(EP_ALSA_STAGE_LIBRARY): what = .library
            case Int(EP_ALSA_STAGE_OPEN): what = .open
            case Int(EP_ALSA_STAGE_ACCESS): what = .configure("interleaved access")
            case Int(EP_ALSA_STAGE_FORMAT): what = .configure("sample format")
            case Int(EP_ALSA_STAGE_CHANNELS): what = .configure("channel count")
            case Int(EP_ALSA_STAGE_RATE): what = .configure("sample rate")
            case Int(EP_ALSA_STAGE_PERIOD): what = .configure("period size")
            case Int(EP_ALSA_STAGE_BUFFER): what = .configure("buffer size")
            default: what = .configure("hardware parameters")
            }
            throw ALSAError(device: config.device, stage: what, code: code == 0 ? -22 : code)
        }
        handle = opened
        switch Int(params.format) {
        case Int(EP_ALSA_S32_LE): format = .s32
        case Int(EP_ALSA_FLOAT_LE): format = .float32
        default: format = .s16
        }
        channels = Int(params.channels)
        periodFrames = Int(params.period_frames)
        bufferFrames = Int(params.buffer_frames)
        raw = [UInt8](repeating: 0, count: periodFrames * channels * (format == .s16 ? 2 : 4))
    }

    deinit { close() }

    /// Overruns recovered so far.
    public var overruns: Int { Int(overrunCount) }

    public func close() {
        if let h = handle { ep_alsa_close(h) }
        handle = nil
    }

    /// Fills `out` with the next out.count mono samples (blocking), one period per device read.
    public func read(into out: UnsafeMutableBufferPointer<Float>) throws(ALSAError) {
        guard let h = handle else { throw ALSAError(device: config.device, stage: .read, code: -9) }  // EBADF
        var done = 0
        while done < out.count {
            let frames = min(periodFrames, out.count - done)
            var overrun = overrunCount
            let got = raw.withUnsafeMutableBytes { ep_alsa_read(h, $0.baseAddress, UInt(frames), &overrun) }
            overrunCount = overrun
            guard got == frames else { throw ALSAError(device: config.device, stage: .read, code: Int32(truncatingIfNeeded: got)) }
            raw.withUnsafeBytes { bytes in
                for f in 0..<frames {
                    var sum = 0.0
                    for c in 0..<channels { sum += sample(bytes, f * channels + c) }
                    out[done + f] = Float(channels == 1 ? sum : sum / Double(channels))
                }
            }
            done += frames
        }
    }

    @inline(__always)
    private func sample(_ b: UnsafeRawBufferPointer, _ i: Int) -> Double {
        switch format {
        case .s16:
            return Double(Int16(bitPattern: UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8)) / 32768
        case .s32, .float32:
            let u = UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8 | UInt32(b[4 * i + 2]) << 16 | UInt32(b[4 * i + 3]) << 24
            return format == .s32 ? Double(Int32(bitPattern: u)) / 2147483648 : Double(Float(bitPattern: u))
        }
    }
}
