import EdgePackFormat
import EdgePackRuntime

/// `inspect`: metadata, inputs/outputs, each operator with its kernel kind, parameters and
/// bytes, the planned arena (peak activation memory) and the float weights packed at load.
public func inspectModel(_ m: ModelFile, json: Bool) throws(AppError) -> String {
    let interp: Interpreter
    do { interp = try Interpreter(model: m) } catch { throw AppError(error) }
    var rows: [(String, String, String, String, Int, Int)] = []   // name, op, kernel, shape, params, bytes
    var totalParams = 0, binaryParams = 0
    for op in m.operators {
        var params = 0, bytes = 0
        for i in op.inputs where i >= 0 && m.tensors[i].isConstant {
            params += m.tensors[i].elementCount
            bytes += m.tensors[i].byteCount
            if m.tensors[i].dtype == .bit { binaryParams += m.tensors[i].elementCount }
        }
        totalParams += params
        let out = op.outputs.first.map { shapeText(m.tensors[$0].shape) } ?? ""
        rows.append((op.name, op.opcodeName, (op.opcode?.isBinary ?? false) ? "binary" : "float", out, params, bytes))
    }
    let fileBytes = m.bytes.count
    if json {
        var s = "{\"name\":" + jsonString(m.metadata.name) + ",\"producer\":" + jsonString(m.metadata.producer)
        s += ",\"description\":" + jsonString(m.metadata.description) + ",\"format_version\":\(m.formatVersion)"
        s += ",\"file_bytes\":\(fileBytes),\"constant_bytes\":\(m.constantBytes),\"arena_bytes\":\(interp.arenaPlan.size)"
        s += ",\"packed_weight_bytes\":\(interp.packedWeightBytes)"
        s += ",\"parameters\":\(totalParams),\"binary_parameters\":\(binaryParams)"
        s += ",\"inputs\":[" + ioJSON(m, m.inputs) + "],\"outputs\":[" + ioJSON(m, m.outputs) + "],\"operators\":["
        for (k, r) in rows.enumerated() {
            if k > 0 { s += "," }
            s += "{\"name\":" + jsonString(r.0) + ",\"op\":" + jsonString(r.1) + ",\"kernel\":" + jsonString(r.2)
            s += ",\"output_shape\":" + jsonString(r.3) + ",\"parameters\":\(r.4),\"bytes\":\(r.5)}"
        }
        s += "]"
        if let a = m.audio { s += ",\"audio\":{\"sample_rate\":\(a.sampleRate),\"n_fft\":\(a.nFFT),\"hop_length\":\(a.hopLength),\"n_mels\":\(a.nMels),\"labels\":\(a.labels.count)"
            if a.hasDetectorSetting {
                s += ",\"detector\":{\"threshold\":" + jsonNumber(Double(a.detectorThreshold)) + ",\"average\":\(a.detectorAverage)"
                s += ",\"refractory\":" + jsonNumber(Double(a.detectorRefractory)) + "}"
            }
            s += "}"
        }
        if let p = m.pointCloud { s += ",\"point_cloud\":{\"num_points\":\(p.numPoints),\"labels\":\(p.labels.count)}" }
        return s + "}"
    }
    // Every string from the file goes through terminalSafe: a model must not drive the terminal.
    var s = "model: " + terminalSafe(m.metadata.name) + "\nproducer: " + terminalSafe(m.metadata.producer) + "\n"
    if !m.metadata.description.isEmpty { s += "description: " + terminalSafe(m.metadata.description) + "\n" }
    if !m.metadata.source.isEmpty { s += "source: " + terminalSafe(m.metadata.source) + "\n" }
    s += "format version: \(m.formatVersion)\n"
    for i in m.inputs { s += "input  " + terminalSafe(m.tensors[i].name) + " \(shapeText(m.tensors[i].shape)) \(m.tensors[i].dtype.name)\n" }
    for o in m.outputs { s += "output " + terminalSafe(m.tensors[o].name) + " \(shapeText(m.tensors[o].shape)) \(m.tensors[o].dtype.name)\n" }
    if let a = m.audio {
        s += "audio front end: \(a.sampleRate) Hz, n_fft \(a.nFFT), hop \(a.hopLength), \(a.nMels) mels, \(a.labels.count) labels\n"
        if a.hasDetectorSetting {
            s += "detector tuned for this model: threshold " + formatFixed(Double(a.detectorThreshold), decimals: 2)
            s += ", average \(a.detectorAverage), refractory " + formatFixed(Double(a.detectorRefractory), decimals: 2) + " s (0: default)\n"
        }
    }
    if let p = m.pointCloud { s += "point cloud: \(p.numPoints) points, \(p.labels.count) labels\n" }
    s += padRight("#", 4) + padRight("operator", 14) + padRight("kernel", 8) + padRight("output", 20)
    s += padLeft("params", 10) + padLeft("bytes", 10) + "  name\n"
    for (k, r) in rows.enumerated() {
        s += padRight(String(k), 4) + padRight(r.1, 14) + padRight(r.2, 8) + padRight(r.3, 20)
        s += padLeft(String(r.4), 10) + padLeft(String(r.5), 10) + "  " + terminalSafe(r.0) + "\n"
    }
    s += "parameters: \(totalParams) (\(binaryParams) binary)\n"
    s += "file: \(formatBytes(fileBytes)), constants: \(formatBytes(m.constantBytes))\n"
    s += "arena (planned peak): \(formatBytes(interp.arenaPlan.size)), without reuse: \(formatBytes(interp.arenaPlan.unshared))\n"
    s += "packed float weights: \(formatBytes(interp.packedWeightBytes)) (packed once at load, outside the arena)"
    return s
}

func ioJSON(_ m: ModelFile, _ list: [Int]) -> String {
    var s = ""
    for (k, i) in list.enumerated() {
        if k > 0 { s += "," }
        s += "{\"name\":" + jsonString(m.tensors[i].name) + ",\"shape\":" + shapeJSON(m.tensors[i].shape)
        s += ",\"dtype\":" + jsonString(m.tensors[i].dtype.name) + "}"
    }
    return s
}

public func shapeText(_ shape: [Int]) -> String {
    var s = "["
    for (i, d) in shape.enumerated() { s += (i > 0 ? "," : "") + String(d) }
    return s + "]"
}

public func shapeJSON(_ shape: [Int]) -> String { shapeText(shape) }
