import CEdgePackSys
import EdgePackFormat
import EdgePackPointCloud
import EdgePackRuntime

public struct BenchResult {
    public var medianNs: UInt64
    public var p90Ns: UInt64
    public var perOperatorNs: [UInt64]
    public var arenaBytes: Int
    public var packedWeightBytes: Int
    public var threads = 1
}

/// Times `iterations` invocations after a warm-up; per-operator figures are medians.
public func benchmark(_ model: ModelFile, mode: ExecutionMode, iterations: Int, threads: Int = 1) throws(AppError) -> BenchResult {
    let interp: Interpreter
    do { interp = try Interpreter(model: model, mode: mode, threads: threads) } catch { throw AppError(error) }
    var rng = SplitMixRandom(seed: 42)
    var inputs: [[Float]] = []
    for i in 0..<interp.inputCount { inputs.append(rng.floats(interp.inputShape(i).reduce(1, *))) }
    // The arena reuses an input's bytes once its last reader has run, so each inference gets its
    // input written again (untimed): otherwise later runs would read other tensors' leftovers.
    func fill() {
        for i in inputs.indices { interp.withInput(i) { buf in for k in 0..<buf.count { buf[k] = inputs[i][k] } } }
    }
    fill()
    interp.invoke()
    interp.profiling = true
    var totals: [UInt64] = []
    var perOp = [[UInt64]](repeating: [], count: model.operators.count)
    var progress = ProgressLine("bench: \(mode == .binary ? "binary" : "float") kernels", total: Int64(max(1, iterations)))
    for i in 0..<max(1, iterations) {
        progress.update(Int64(i))
        fill()
        let start = ep_monotonic_ns()
        interp.invoke()
        totals.append(ep_monotonic_ns() - start)
        for k in 0..<perOp.count { perOp[k].append(interp.operatorNanoseconds[k]) }
    }
    progress.finish()
    totals.sort()
    let p90 = totals[min(totals.count - 1, (totals.count * 9) / 10)]
    return BenchResult(medianNs: totals[totals.count / 2], p90Ns: p90,
                       perOperatorNs: perOp.map { var v = $0; v.sort(); return v[v.count / 2] },
                       arenaBytes: interp.arenaPlan.size, packedWeightBytes: interp.packedWeightBytes,
                       threads: interp.threads)
}

/// `bench --only binary|float`: one execution mode alone, so that an instruction counter
/// (Toolchain/icount-bench under qemu) costs each mode's inferences separately.
public func benchModel(_ m: ModelFile, mode: ExecutionMode, iterations: Int, threads: Int = 1, json: Bool) throws(AppError) -> String {
    let r = try benchmark(m, mode: mode, iterations: iterations, threads: threads)
    let name = mode == .binary ? "binary" : "float"
    if json {
        var s = "{\"model\":" + jsonString(m.metadata.name) + ",\"iterations\":\(iterations)" + ",\"threads\":\(r.threads)"
        s += ",\"" + name + "\":" + statsJSON(r) + ",\"file_bytes\":\(m.bytes.count),\"layers\":["
        for (k, op) in m.operators.enumerated() {
            if k > 0 { s += "," }
            s += "{\"name\":" + jsonString(op.name) + ",\"op\":" + jsonString(op.opcodeName) + ",\"" + name + "_ms\":" + milliseconds(r.perOperatorNs[k]) + "}"
        }
        return s + "]}"
    }
    var s = "model: " + terminalSafe(m.metadata.name) + ", \(name) kernels only (\(iterations) iterations after a warm-up, \(threadsText(r.threads)))\n"
    s += padRight("#", 4) + padRight("operator", 14) + padLeft(name + " ms", 11) + "  name\n"
    for (k, op) in m.operators.enumerated() {
        s += padRight(String(k), 4) + padRight(op.opcodeName, 14) + padLeft(milliseconds(r.perOperatorNs[k]), 11) + "  " + terminalSafe(op.name) + "\n"
    }
    s += latencyLine(name + ":", r)
    s += "arena \(formatBytes(r.arenaBytes)), packed float weights \(formatBytes(r.packedWeightBytes)), model file \(formatBytes(m.bytes.count))"
    return s
}

private func threadsText(_ n: Int) -> String { n == 1 ? "1 thread" : "\(n) threads" }

private func milliseconds(_ ns: UInt64) -> String { formatFixed(Double(ns) / 1e6, decimals: 3) }

/// One mode's figures as the JSON object both reports use.
private func statsJSON(_ r: BenchResult) -> String {
    "{\"median_ms\":" + milliseconds(r.medianNs) + ",\"p90_ms\":" + milliseconds(r.p90Ns)
        + ",\"arena_bytes\":\(r.arenaBytes),\"packed_weight_bytes\":\(r.packedWeightBytes)}"
}

private func latencyLine(_ label: String, _ r: BenchResult) -> String {
    "latency " + label + " median " + milliseconds(r.medianNs) + " ms, p90 " + milliseconds(r.p90Ns) + " ms\n"
}

/// `bench`: binary kernels against the float kernels on the same model (binary layers run as
/// float convolutions/GEMMs with ±1 weights), per-layer times, sizes and the speedup.
public func benchModel(_ m: ModelFile, iterations: Int, threads: Int = 1, json: Bool) throws(AppError) -> String {
    let (bin, flt) = try benchmarkBoth(m, iterations: iterations, threads: threads)
    return benchReport(m, iterations: iterations, binary: bin, float: flt, json: json)
}

/// Both modes timed: binary kernels, then the float kernels.
public func benchmarkBoth(_ m: ModelFile, iterations: Int, threads: Int = 1) throws(AppError) -> (binary: BenchResult, float: BenchResult) {
    (try benchmark(m, mode: .binary, iterations: iterations, threads: threads),
     try benchmark(m, mode: .floatReference, iterations: iterations, threads: threads))
}

/// The report of `bench` on figures already taken (text, or JSON with `json`).
public func benchReport(_ m: ModelFile, iterations: Int, binary bin: BenchResult, float flt: BenchResult, json: Bool) -> String {
    var binaryParams = 0, floatParams = 0
    for t in m.tensors where t.isConstant {
        if t.dtype == .bit { binaryParams += t.elementCount } else { floatParams += t.elementCount }
    }
    // Storage as float32: every parameter 4 bytes; the file stores binary ones at 1 bit.
    let float32Bytes = (binaryParams + floatParams) * 4
    let speedup = Double(flt.medianNs) / Double(max(bin.medianNs, 1))
    var binLayers: UInt64 = 0, fltLayers: UInt64 = 0
    for (k, op) in m.operators.enumerated() where (op.opcode?.isBinary ?? false) {
        binLayers += bin.perOperatorNs[k]; fltLayers += flt.perOperatorNs[k]
    }
    let layerSpeedup = Double(fltLayers) / Double(max(binLayers, 1))
    if json {
        var s = "{\"model\":" + jsonString(m.metadata.name) + ",\"iterations\":\(iterations)" + ",\"threads\":\(bin.threads)"
        s += ",\"binary\":" + statsJSON(bin) + ",\"float\":" + statsJSON(flt)
        s += ",\"speedup\":" + formatFixed(speedup, decimals: 2) + ",\"binary_layer_speedup\":" + formatFixed(layerSpeedup, decimals: 2)
        s += ",\"file_bytes\":\(m.bytes.count),\"float32_parameter_bytes\":\(float32Bytes)"
        s += ",\"storage_saving\":" + formatFixed(Double(float32Bytes) / Double(max(m.bytes.count, 1)), decimals: 2)
        s += ",\"fma_instructions\":" + (floatKernelsUseFMAInstructions ? "true" : "false")
        s += ",\"layers\":["
        for (k, op) in m.operators.enumerated() {
            if k > 0 { s += "," }
            s += "{\"name\":" + jsonString(op.name) + ",\"op\":" + jsonString(op.opcodeName)
            s += ",\"binary_ms\":" + milliseconds(bin.perOperatorNs[k]) + ",\"float_ms\":" + milliseconds(flt.perOperatorNs[k]) + "}"
        }
        return s + "]}"
    }
    var s = "model: " + terminalSafe(m.metadata.name) + " (\(iterations) iterations after a warm-up, \(threadsText(bin.threads)))\n"
    s += padRight("#", 4) + padRight("operator", 14) + padLeft("binary ms", 11) + padLeft("float ms", 11) + padLeft("ratio", 8) + "  name\n"
    for (k, op) in m.operators.enumerated() {
        let ratio = Double(flt.perOperatorNs[k]) / Double(max(bin.perOperatorNs[k], 1))
        s += padRight(String(k), 4) + padRight(op.opcodeName, 14) + padLeft(milliseconds(bin.perOperatorNs[k]), 11)
        s += padLeft(milliseconds(flt.perOperatorNs[k]), 11) + padLeft(formatFixed(ratio, decimals: 2), 8) + "  " + terminalSafe(op.name) + "\n"
    }
    s += latencyLine("binary:", bin) + latencyLine("float: ", flt)
    s += "speedup (whole model): " + formatFixed(speedup, decimals: 2) + "x; binary layers alone: " + formatFixed(layerSpeedup, decimals: 2) + "x\n"
    s += "arena: binary \(formatBytes(bin.arenaBytes)), float \(formatBytes(flt.arenaBytes))\n"
    s += "packed float weights: binary \(formatBytes(bin.packedWeightBytes)), float \(formatBytes(flt.packedWeightBytes))\n"
    s += "model file: \(formatBytes(m.bytes.count)); as float32: \(formatBytes(float32Bytes)); storage saving "
    s += formatFixed(Double(float32Bytes) / Double(max(m.bytes.count, 1)), decimals: 2) + "x\n"
    s += "float multiply-add: " + (floatKernelsUseFMAInstructions ? "FMA instructions" : "C library fmaf (this CPU has no FMA)")
    return s
}
