import Foundation
import EdgePackFormat

/// Preprocessing metadata stored in a converted model, read from a small text file:
///
///     [audio]                  # or [point_cloud], [image]; fields as in Schema/edgepack.fbs
///     n_mels = 32
///     labels = yes, no, up, down
///
/// Unset fields keep the schema's defaults. Errors name the line.
public struct PreprocessingConfig {
    public var audio: AudioFrontEndSpec?
    public var pointCloud: PointCloudSpec?
    public var image: ImageSpec?

    public init(audio: AudioFrontEndSpec? = nil, pointCloud: PointCloudSpec? = nil, image: ImageSpec? = nil) {
        self.audio = audio
        self.pointCloud = pointCloud
        self.image = image
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "preprocessing config, line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> PreprocessingConfig {
        var c = PreprocessingConfig()
        var section = ""
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = i + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let s = content.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            if s.hasPrefix("[") {
                guard s.hasSuffix("]") else { throw ParseError(line: line, message: "unclosed section header '\(s)'") }
                section = String(s.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                switch section {
                case "audio": if c.audio == nil { c.audio = AudioFrontEndSpec() }
                case "point_cloud": if c.pointCloud == nil { c.pointCloud = PointCloudSpec() }
                case "image": if c.image == nil { c.image = ImageSpec() }
                default: throw ParseError(line: line, message: "unknown section [\(section)]; use [audio], [point_cloud] or [image]")
                }
                continue
            }
            let parts = s.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw ParseError(line: line, message: "expected 'key = value', found '\(s)'") }
            let v = Value(text: parts[1], line: line)
            switch section {
            case "audio": try setAudio(&c.audio!, parts[0], v)
            case "point_cloud": try setPointCloud(&c.pointCloud!, parts[0], v)
            case "image": try setImage(&c.image!, parts[0], v)
            default: throw ParseError(line: line, message: "'\(parts[0])' outside a section")
            }
        }
        return c
    }

    struct Value {
        var text: String
        var line: Int
        func int() throws(ParseError) -> Int {
            guard let v = Int(text) else { throw ParseError(line: line, message: "'\(text)' is not an integer") }
            return v
        }
        func float() throws(ParseError) -> Float {
            guard let v = Float(text), v.isFinite else { throw ParseError(line: line, message: "'\(text)' is not a number") }
            return v
        }
        func bool() throws(ParseError) -> Bool {
            switch text.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: throw ParseError(line: line, message: "'\(text)' is not true or false")
            }
        }
        func list() -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        func floats() throws(ParseError) -> [Float] {
            var out: [Float] = []
            for s in list() {
                guard let v = Float(s) else { throw ParseError(line: line, message: "'\(s)' is not a number") }
                out.append(v)
            }
            return out
        }
        func unknown(_ key: String, _ section: String, _ keys: [String]) -> ParseError {
            ParseError(line: line, message: "unknown key '\(key)' in [\(section)]; keys: \(keys.joined(separator: ", "))")
        }
    }

    static let audioKeys = ["sample_rate", "clip_samples", "n_fft", "win_length", "hop_length", "window", "center", "pad_reflect",
                            "n_mels", "f_min", "f_max", "mel_scale", "power", "normalized", "to_db", "db_multiplier", "amin",
                            "top_db", "labels", "silence_label", "unknown_label"]

    static func setAudio(_ a: inout AudioFrontEndSpec, _ key: String, _ v: Value) throws(ParseError) {
        switch key {
        case "sample_rate": a.sampleRate = try v.int()
        case "clip_samples": a.clipSamples = try v.int()
        case "n_fft": a.nFFT = try v.int()
        case "win_length": a.winLength = try v.int()
        case "hop_length": a.hopLength = try v.int()
        case "window":
            switch v.text.lowercased() {
            case "hann": a.window = .hann
            case "hamming": a.window = .hamming
            case "rectangular": a.window = .rectangular
            default: throw ParseError(line: v.line, message: "window must be hann, hamming or rectangular")
            }
        case "center": a.center = try v.bool()
        case "pad_reflect": a.padReflect = try v.bool()
        case "n_mels": a.nMels = try v.int()
        case "f_min": a.fMin = try v.float()
        case "f_max": a.fMax = try v.float()
        case "mel_scale":
            switch v.text.lowercased() {
            case "htk": a.melScale = .htk
            case "slaney": a.melScale = .slaney
            default: throw ParseError(line: v.line, message: "mel_scale must be htk or slaney")
            }
        case "power": a.power = try v.float()
        case "normalized": a.normalized = try v.bool()
        case "to_db": a.toDB = try v.bool()
        case "db_multiplier": a.dbMultiplier = try v.float()
        case "amin": a.amin = try v.float()
        case "top_db": a.topDB = try v.float()
        case "labels": a.labels = v.list()
        case "silence_label": a.silenceLabel = try v.int()
        case "unknown_label": a.unknownLabel = try v.int()
        default: throw v.unknown(key, "audio", audioKeys)
        }
    }

    static func setPointCloud(_ p: inout PointCloudSpec, _ key: String, _ v: Value) throws(ParseError) {
        switch key {
        case "num_points": p.numPoints = try v.int()
        case "center": p.center = try v.bool()
        case "unit_sphere": p.unitSphere = try v.bool()
        case "farthest_point_sampling": p.farthestPointSampling = try v.bool()
        case "seed":
            guard let s = UInt64(v.text) else { throw ParseError(line: v.line, message: "'\(v.text)' is not an unsigned integer") }
            p.seed = s
        case "labels": p.labels = v.list()
        default: throw v.unknown(key, "point_cloud", ["num_points", "center", "unit_sphere", "farthest_point_sampling", "seed", "labels"])
        }
    }

    static func setImage(_ m: inout ImageSpec, _ key: String, _ v: Value) throws(ParseError) {
        switch key {
        case "channels": m.channels = try v.int()
        case "height": m.height = try v.int()
        case "width": m.width = try v.int()
        case "mean": m.mean = try v.floats()
        case "std": m.std = try v.floats()
        case "labels": m.labels = v.list()
        default: throw v.unknown(key, "image", ["channels", "height", "width", "mean", "std", "labels"])
        }
    }
}
