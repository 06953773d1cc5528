// How to feed a model, as stored in the file (schema tables AudioFrontEnd, PointCloudPrep,
// ImagePrep). Defaults equal the schema's defaults.

public enum WindowKind: Int8 { case hann = 0, hamming = 1, rectangular = 2 }
public enum MelScale: Int8 { case htk = 0, slaney = 1 }

public struct AudioFrontEndSpec: Equatable {
    public var sampleRate = 16000
    public var clipSamples = 16000
    public var nFFT = 2048
    public var winLength = 2048
    public var hopLength = 512
    public var window: WindowKind = .hann
    public var center = true
    public var padReflect = true
    public var nMels = 32
    public var fMin: Float = 0
    public var fMax: Float = 8000
    public var melScale: MelScale = .htk
    public var power: Float = 2
    public var normalized = true
    public var toDB = true
    public var dbMultiplier: Float = 10
    public var amin: Float = 1e-10
    public var topDB: Float = 0
    public var labels: [String] = []
    public var silenceLabel = -1
    public var unknownLabel = -1
    /// The detector's operating point tuned for this model (0: the runtime's default).
    public var detectorThreshold: Float = 0
    public var detectorAverage = 0
    public var detectorRefractory: Float = 0
    public init() {}

    /// Whether the model carries any part of a tuned detector setting.
    public var hasDetectorSetting: Bool { detectorThreshold > 0 || detectorAverage > 0 || detectorRefractory > 0 }

    /// Frames in one clip: 1 + clip/hop with centering (torchaudio), else 1 + (clip - n_fft)/hop.
    public var framesPerClip: Int {
        center ? 1 + clipSamples / hopLength : 1 + (clipSamples - nFFT) / hopLength
    }
}

public struct PointCloudSpec: Equatable {
    public var numPoints = 1024
    public var center = true
    public var unitSphere = true
    public var farthestPointSampling = false
    public var seed: UInt64 = 1
    public var labels: [String] = []
    public init() {}
}

public struct ImageSpec: Equatable {
    public var channels = 3
    public var height = 0
    public var width = 0
    public var mean: [Float] = []
    public var std: [Float] = []
    public var labels: [String] = []
    public init() {}
}
