import Foundation
import EdgePackFormat

/// Preprocessing stored by the training scripts in the ONNX file's ModelProto.metadata_props:
///
///     edgepack.audio / edgepack.point_cloud / edgepack.image   a JSON object of schema fields
///     edgepack.labels                                          comma-separated class names
///     edgepack.silence_label, edgepack.unknown_label           class indices (audio models)
///     edgepack.task, edgepack.input                            informational
///
/// turned into the same `PreprocessingConfig` a .conf file gives (fields missing from a JSON
/// object keep the schema's defaults, as in the .conf). Unknown `edgepack.*` keys and unknown
/// JSON fields are warnings; malformed values are a `MetadataError` naming the key and field.
public enum ONNXMetadata {
    public struct Preprocessing {
        /// Empty (no section) when the file holds no edgepack.audio/point_cloud/image.
        public var config = PreprocessingConfig()
        public var task: String?
        public var warnings: [String] = []
    }

    static let prefix = "edgepack."
    static let keys = ["task", "labels", "silence_label", "unknown_label", "audio", "point_cloud", "image", "input"].map { prefix + $0 }
    /// The section each known task needs.
    static let taskSections = ["keyword-spotting": "audio", "point-cloud-classification": "point_cloud",
                               "image-classification": "image"]

    public static func preprocessing(_ entries: [(key: String, value: String)]) throws(MetadataError) -> Preprocessing {
        var out = Preprocessing()
        var values: [String: String] = [:]
        for (k, v) in entries where k.hasPrefix(prefix) {
            guard values[k] == nil else { throw .duplicateKey(key: k) }
            values[k] = v
            if !keys.contains(k) {
                out.warnings.append("ONNX metadata_props: unknown key '\(k)' ignored (known: \(keys.joined(separator: ", ")))")
            }
        }
        let labels = try values[prefix + "labels"].map { text throws(MetadataError) in try parseLabels(text) }
        var c = PreprocessingConfig()
        c.audio = try section(AudioFrontEndSpec.self, "audio", values, labels: labels, warnings: &out.warnings)
        c.pointCloud = try section(PointCloudSpec.self, "point_cloud", values, labels: labels, warnings: &out.warnings)
        c.image = try section(ImageSpec.self, "image", values, labels: labels, warnings: &out.warnings)
        let present = [("audio", c.audio != nil), ("point_cloud", c.pointCloud != nil), ("image", c.image != nil)].filter(\.1).map(\.0)
        if labels != nil, present.isEmpty {
            out.warnings.append("ONNX metadata_props: '\(prefix)labels' ignored: there is no \(prefix)audio, point_cloud or image")
        }
        try setClassIndex("silence_label", \.silenceLabel, values, &c.audio, &out.warnings)
        try setClassIndex("unknown_label", \.unknownLabel, values, &c.audio, &out.warnings)

        if let task = values[prefix + "task"] {
            out.task = task
            if let needed = taskSections[task] {
                if !present.contains(needed) {
                    out.warnings.append("ONNX metadata_props: '\(prefix)task' is '\(task)' but there is no '\(prefix)\(needed)'")
                }
            } else {
                out.warnings.append("ONNX metadata_props: unknown '\(prefix)task' '\(task)' (known: \(taskSections.keys.sorted().joined(separator: ", ")))")
            }
        }
        out.config = c
        return out
    }

    /// Comma-separated names, spaces around them dropped; an empty name would shift every
    /// class index after it, so it is an error.
    static func parseLabels(_ text: String) throws(MetadataError) -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let i = names.firstIndex(where: \.isEmpty) {
            throw .badValue(key: prefix + "labels", problem: "label \(i) of \(names.count) is empty")
        }
        return names
    }

    static func section<S: PreprocessingSection>(_ type: S.Type, _ name: String, _ values: [String: String], labels: [String]?,
                                                  warnings: inout [String]) throws(MetadataError) -> S? {
        let key = prefix + name
        guard let text = values[key] else { return nil }
        let s: JSONSection<S>
        do {
            s = try JSONDecoder().decode(JSONSection<S>.self, from: Data(text.utf8))
        } catch let p as JSONFieldProblem {
            throw .badField(key: key, field: p.field, problem: p.problem)
        } catch DecodingError.typeMismatch {
            throw .invalidJSON(key: key, detail: "expected a JSON object, found \(text.prefix(40))")
        } catch {
            throw .invalidJSON(key: key, detail: "not valid JSON (\(jsonSyntaxProblem(text)))")
        }
        for f in s.unknownFields {
            warnings.append("ONNX metadata_props '\(key)': unknown field '\(f)' ignored (known: \(S.fieldNames.joined(separator: ", ")))")
        }
        var spec = s.spec
        if let labels {
            if s.fieldsSet.contains("labels"), spec.labels != labels {
                throw .badValue(key: prefix + "labels", problem: "differs from the labels inside '\(key)'")
            }
            spec.labels = labels
        }
        return spec
    }

    /// edgepack.silence_label / unknown_label: an index into the audio labels, or -1.
    static func setClassIndex(_ name: String, _ field: WritableKeyPath<AudioFrontEndSpec, Int>, _ values: [String: String],
                              _ audio: inout AudioFrontEndSpec?, _ warnings: inout [String]) throws(MetadataError) {
        let key = prefix + name
        if let text = values[key] {
            guard let i = Int32(text.trimmingCharacters(in: .whitespaces)) else {
                throw .badValue(key: key, problem: "'\(text)' is not an integer")
            }
            guard audio != nil else {
                warnings.append("ONNX metadata_props: '\(key)' ignored: it applies to audio models and there is no '\(prefix)audio'")
                return
            }
            audio![keyPath: field] = Int(i)
        }
        // Also checks an index given inside the edgepack.audio object.
        guard let a = audio else { return }
        let i = a[keyPath: field]
        guard i >= -1, i < a.labels.count else {
            throw .labelOutOfRange(key: values[key] != nil ? key : prefix + "audio", index: i, labelCount: a.labels.count)
        }
    }

    /// Where the JSON breaks: JSONDecoder only says "not valid JSON", JSONSerialization says where.
    static func jsonSyntaxProblem(_ text: String) -> String {
        var why = "syntax error"
        do { _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) } catch {
            why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if why.hasSuffix(".") { why.removeLast() }
        }
        if text.contains("NaN") || text.contains("Infinity") { why += "; NaN and Infinity are not JSON" }
        return why
    }
}
