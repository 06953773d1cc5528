import EdgePackFormat

/// One field's value as the preprocessing setters read it. Two sources implement it: a
/// `key = value` line of a .conf file and a field of the JSON objects in ONNX metadata_props,
/// so both formats fill the specs through the same code and mean the same thing.
protocol PreprocessingValue {
    associatedtype Failure: Error
    /// Integers are stored as 32-bit in the model file: larger values are an error here.
    func int() throws(Failure) -> Int
    func uint64() throws(Failure) -> UInt64
    /// Finite only.
    func float() throws(Failure) -> Float
    func bool() throws(Failure) -> Bool
    /// A single word such as an enum case name ("hann").
    func word() throws(Failure) -> String
    func strings() throws(Failure) -> [String]
    func floats() throws(Failure) -> [Float]
    /// An error about this value, for checks the setters make themselves.
    func invalid(_ message: String) -> Failure
}

/// A spec filled field by field, with field names as in Schema/edgepack.fbs. `set` returns
/// false for a key it does not know; the caller decides whether that is an error or a warning.
protocol PreprocessingSection: Equatable {
    init()
    var labels: [String] { get set }
    static var fieldNames: [String] { get }
    mutating func set<V: PreprocessingValue>(_ key: String, _ v: V) throws(V.Failure) -> Bool
}

extension AudioFrontEndSpec: PreprocessingSection {
    static let fieldNames = ["sample_rate", "clip_samples", "n_fft", "win_length", "hop_length", "window", "center", "pad_reflect",
                             "n_mels", "f_min", "f_max", "mel_scale", "power", "normalized", "to_db", "db_multiplier", "amin",
                             "top_db", "labels", "silence_label", "unknown_label",
                             "detector_threshold", "detector_average", "detector_refractory"]

    mutating func set<V: PreprocessingValue>(_ key: String, _ v: V) throws(V.Failure) -> Bool {
        switch key {
        case "sample_rate": sampleRate = try v.int()
        case "clip_samples": clipSamples = try v.int()
        case "n_fft": nFFT = try v.int()
        case "win_length": winLength = try v.int()
        case "hop_length": hopLength = try v.int()
        case "window":
            switch try v.word().lowercased() {
            case "hann": window = .hann
            case "hamming": window = .hamming
            case "rectangular": window = .rectangular
            default: throw v.invalid("window must be hann, hamming or rectangular")
            }
        case "center": center = try v.bool()
        case "pad_reflect": padReflect = try v.bool()
        case "n_mels": nMels = try v.int()
        case "f_min": fMin = try v.float()
        case "f_max": fMax = try v.float()
        case "mel_scale":
            switch try v.word().lowercased() {
            case "htk": melScale = .htk
            case "slaney": melScale = .slaney
            default: throw v.invalid("mel_scale must be htk or slaney")
            }
        case "power": power = try v.float()
        case "normalized": normalized = try v.bool()
        case "to_db": toDB = try v.bool()
        case "db_multiplier": dbMultiplier = try v.float()
        case "amin": amin = try v.float()
        case "top_db": topDB = try v.float()
        case "labels": labels = try v.strings()
        case "silence_label": silenceLabel = try v.int()
        case "unknown_label": unknownLabel = try v.int()
        case "detector_threshold": detectorThreshold = try v.float()
        case "detector_average": detectorAverage = try v.int()
        case "detector_refractory": detectorRefractory = try v.float()
        default: return false
        }
        return true
    }
}

extension PointCloudSpec: PreprocessingSection {
    static let fieldNames = ["num_points", "center", "unit_sphere", "farthest_point_sampling", "seed", "labels"]

    mutating func set<V: PreprocessingValue>(_ key: String, _ v: V) throws(V.Failure) -> Bool {
        switch key {
        case "num_points": numPoints = try v.int()
        case "center": center = try v.bool()
        case "unit_sphere": unitSphere = try v.bool()
        case "farthest_point_sampling": farthestPointSampling = try v.bool()
        case "seed": seed = try v.uint64()
        case "labels": labels = try v.strings()
        default: return false
        }
        return true
    }
}

extension ImageSpec: PreprocessingSection {
    static let fieldNames = ["channels", "height", "width", "mean", "std", "labels"]

    mutating func set<V: PreprocessingValue>(_ key: String, _ v: V) throws(V.Failure) -> Bool {
        switch key {
        case "channels": channels = try v.int()
        case "height": height = try v.int()
        case "width": width = try v.int()
        case "mean": mean = try v.floats()
        case "std": std = try v.floats()
        case "labels": labels = try v.strings()
        default: return false
        }
        return true
    }
}
