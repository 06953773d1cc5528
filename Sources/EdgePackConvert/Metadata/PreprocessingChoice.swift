import EdgePackFormat

/// Where the preprocessing stored in a converted model came from.
public enum PreprocessingSource: String, Sendable {
    /// `ConvertOptions` (the CLI's --preprocessing file).
    case options
    /// The `edgepack.*` entries of the ONNX metadata_props.
    case onnxMetadata
    case none
}

extension PreprocessingConfig {
    public var isEmpty: Bool { audio == nil && pointCloud == nil && image == nil }

    /// "audio, 12 labels" (for the convert log).
    public var summary: String {
        var parts: [String] = []
        if let a = audio { parts.append("audio, \(a.labels.count) labels") }
        if let p = pointCloud { parts.append("point_cloud, \(p.labels.count) labels") }
        if let m = image { parts.append("image, \(m.labels.count) labels") }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }

    /// The preprocessing a conversion stores: the given one wins; the ONNX metadata is used when
    /// none is given. With both, metadata that differs (or cannot be read) is only a warning,
    /// since the given preprocessing replaces it anyway.
    static func choose(given: PreprocessingConfig, metadata: [(key: String, value: String)])
        throws(MetadataError) -> (config: PreprocessingConfig, source: PreprocessingSource, warnings: [String]) {
        guard !given.isEmpty else {
            let m = try ONNXMetadata.preprocessing(metadata)
            return (m.config, m.config.isEmpty ? .none : .onnxMetadata, m.warnings)
        }
        var warnings: [String] = []
        do {
            let m = try ONNXMetadata.preprocessing(metadata)
            warnings = m.warnings
            if !m.config.isEmpty, m.config != given {
                warnings.append("the given preprocessing differs from the ONNX metadata_props (\(given.differences(from: m.config).joined(separator: "; "))); using the given one")
            }
        } catch {
            warnings.append("ONNX metadata_props ignored (preprocessing was given): \(error)")
        }
        return (given, .options, warnings)
    }

    /// The fields in which two configs differ, "audio.nMels: 40 vs 32" (self first).
    func differences(from other: PreprocessingConfig) -> [String] {
        var out: [String] = []
        func compare<T>(_ name: String, _ a: T?, _ b: T?) {
            switch (a, b) {
            case (nil, nil): break
            case (_?, nil): out.append("\(name) only in the given preprocessing")
            case (nil, _?): out.append("\(name) only in the ONNX metadata")
            case (let x?, let y?):
                // Host-only code: reflection lists the fields without a third copy of their names.
                for (f, g) in zip(Mirror(reflecting: x).children, Mirror(reflecting: y).children) {
                    let l = String(describing: f.value), r = String(describing: g.value)
                    if l != r { out.append("\(name).\(f.label ?? "?"): \(l) vs \(r)") }
                }
            }
        }
        compare("audio", audio, other.audio)
        compare("point_cloud", pointCloud, other.pointCloud)
        compare("image", image, other.image)
        return out
    }
}
