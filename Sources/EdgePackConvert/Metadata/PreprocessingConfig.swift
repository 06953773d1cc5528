import Foundation
import EdgePackFormat

/// Preprocessing metadata stored in a converted model, read from a small text file:
///
///     [audio]                  # or [point_cloud], [image]; fields as in Schema/edgepack.fbs
///     n_mels = 32
///     labels = yes, no, up, down
///
/// Unset fields keep the schema's defaults. Errors name the line.
public struct PreprocessingConfig: Equatable {
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
            let key = parts[0]
            switch section {
            case "audio":
                guard try c.audio!.set(key, v) else { throw v.unknown(key, section, AudioFrontEndSpec.fieldNames) }
            case "point_cloud":
                guard try c.pointCloud!.set(key, v) else { throw v.unknown(key, section, PointCloudSpec.fieldNames) }
            case "image":
                guard try c.image!.set(key, v) else { throw v.unknown(key, section, ImageSpec.fieldNames) }
            default: throw ParseError(line: line, message: "'\(key)' outside a section")
            }
        }
        return c
    }

    /// The text after `=` on one line.
    struct Value: PreprocessingValue {
        var text: String
        var line: Int
        typealias Failure = ParseError
        func invalid(_ message: String) -> ParseError { ParseError(line: line, message: message) }
        func int() throws(ParseError) -> Int {
            guard let v = Int32(text) else { throw invalid("'\(text)' is not an integer (32-bit)") }
            return Int(v)
        }
        func uint64() throws(ParseError) -> UInt64 {
            guard let v = UInt64(text) else { throw invalid("'\(text)' is not an unsigned integer") }
            return v
        }
        func float() throws(ParseError) -> Float { try Self.float(text, line: line) }
        func bool() throws(ParseError) -> Bool {
            switch text.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: throw invalid("'\(text)' is not true or false")
            }
        }
        func word() -> String { text }
        func strings() -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        func floats() throws(ParseError) -> [Float] {
            var out: [Float] = []
            for s in strings() { out.append(try Self.float(s, line: line)) }
            return out
        }
        static func float(_ s: String, line: Int) throws(ParseError) -> Float {
            guard let v = Float(s), v.isFinite else { throw ParseError(line: line, message: "'\(s)' is not a number") }
            return v
        }
        func unknown(_ key: String, _ section: String, _ keys: [String]) -> ParseError {
            invalid("unknown key '\(key)' in [\(section)]; keys: \(keys.joined(separator: ", "))")
        }
    }
}
