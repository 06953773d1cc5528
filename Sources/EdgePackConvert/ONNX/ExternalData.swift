import Foundation

/// Tensor bytes kept beside the model (`external_data`: location, offset, length), as torch's
/// exporter writes `m.onnx.data` by default. Files are read from the model's folder only: an
/// absolute location, a `..` component or a link out of the folder is refused, and every
/// offset and length is checked against the file and the tensor's size.
final class ExternalData {
    let directory: URL
    private var files: [String: Data] = [:]

    init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// The tensor's bytes: exactly `bytes` of them.
    func bytes(_ p: Onnx_TensorProto, tensor: String, bytes count: Int) throws(ONNXError) -> Data {
        var entries: [String: String] = [:]
        for e in p.externalData {
            guard entries[e.key] == nil else { throw bad(tensor, "?", "external_data gives '\(e.key)' twice") }
            entries[e.key] = e.value
        }
        guard let location = entries["location"], !location.isEmpty else { throw bad(tensor, "?", "external_data has no location") }
        let data = try file(location, tensor: tensor)
        func number(_ key: String) throws(ONNXError) -> Int? {
            guard let s = entries[key] else { return nil }
            guard let v = Int(s), v >= 0 else { throw bad(tensor, location, "\(key) '\(s)' is not a byte count") }
            return v
        }
        let offset = try number("offset") ?? 0
        let length = try number("length") ?? (data.count - min(offset, data.count))
        guard length == count else {
            throw bad(tensor, location, "length \(length) bytes, the tensor's shape and type need \(count)")
        }
        guard offset <= data.count, length <= data.count - offset else {
            throw bad(tensor, location, "bytes \(offset)..<\(offset + length) lie beyond the file's \(data.count) bytes")
        }
        return data.subdata(in: offset..<(offset + length))
    }

    private func file(_ location: String, tensor: String) throws(ONNXError) -> Data {
        if let d = files[location] { return d }
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.hasPrefix("/"), !location.contains("\\"), !parts.contains(".."), !parts.contains("") else {
            throw bad(tensor, location, "the location must be a relative path inside the model's folder")
        }
        let url = directory.appendingPathComponent(location).standardizedFileURL
        let root = directory.resolvingSymlinksInPath().path
        guard url.resolvingSymlinksInPath().path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw bad(tensor, location, "the file lies outside the model's folder \(directory.path)")
        }
        let d: Data
        do { d = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw bad(tensor, location, "cannot read \(url.path): \(error.localizedDescription)")
        }
        files[location] = d
        return d
    }

    private func bad(_ tensor: String, _ location: String, _ detail: String) -> ONNXError {
        .badExternalData(tensor: tensor, location: location, detail: detail)
    }
}
