// Loading a .epk: decode and verify in one pass over the mapped bytes. Nothing in the file is
// trusted before it is checked: offsets, sizes, alignment, enum values, tensor sizes against
// shapes and buffers, graph references and execution order, and the buffers' checksum.

public let modelFileIdentifier: [UInt8] = Array("EPK1".utf8)
/// 2: the checksum covers the whole file (1: the constant buffers only).
public let modelFormatVersion: UInt32 = 2
/// Constant data starts on this boundary so kernels can use it in place.
public let bufferAlignment = 64

public struct ModelFile {
    public let bytes: UnsafeRawBufferPointer
    public let formatVersion: UInt32
    public let metadata: ModelMetadata
    public let tensors: [TensorDesc]
    public let operators: [OperatorDesc]
    public let inputs: [Int]
    public let outputs: [Int]
    public let buffers: [BufferDesc]
    public let audio: AudioFrontEndSpec?
    public let pointCloud: PointCloudSpec?
    public let image: ImageSpec?
    public let checksum: UInt32

    /// Verifies `bytes` (which must outlive the model) and decodes the graph.
    public init(bytes: UnsafeRawBufferPointer) throws(ModelError) {
        let r = FBReader(bytes: bytes)
        guard bytes.count >= 8 else { throw ModelError("file is \(bytes.count) bytes, too short for a FlatBuffer header") }
        for i in 0..<4 where bytes[4 + i] != modelFileIdentifier[i] {
            throw ModelError("file identifier is not \"EPK1\": not an EdgePack model")
        }
        let root = try FBTable(r, at: try r.follow(0, "root"), path: "model")
        let version = try root.u32(0, 1)
        guard version == modelFormatVersion else {
            throw ModelError("format_version \(version) is not supported (this runtime reads \(modelFormatVersion)); convert the model again with this EdgePack")
        }
        self.bytes = bytes
        self.formatVersion = version
        self.metadata = try ModelFile.decodeMetadata(try root.table(1, "metadata"))

        // Buffers first: tensors refer to them.
        // Exact capacities: these arrays live as long as the model (a Pi's heap budget).
        let bufferTables = try root.tableVector(3, "buffers") ?? []
        var buffers: [BufferDesc] = []
        buffers.reserveCapacity(bufferTables.count)
        for b in bufferTables {
            let off = try b.u64(0, 0), size = try b.u64(1, 0)
            guard off <= UInt64(bytes.count), size <= UInt64(bytes.count) - off else {
                throw ModelError("\(b.path): \(size) bytes at offset \(off) run past the end of the \(bytes.count)-byte file")
            }
            guard off % UInt64(bufferAlignment) == 0 else {
                throw ModelError("\(b.path): offset \(off) is not \(bufferAlignment)-byte aligned")
            }
            buffers.append(BufferDesc(offset: Int(off), size: Int(size)))
        }
        self.buffers = buffers

        guard let graph = try root.table(2, "graph") else { throw ModelError("model.graph is missing") }
        let tensorTables = try graph.tableVector(0, "tensors") ?? []
        var tensors: [TensorDesc] = []
        tensors.reserveCapacity(tensorTables.count)
        for t in tensorTables {
            tensors.append(try ModelFile.decodeTensor(t, buffers: buffers))
        }
        self.tensors = tensors
        let operatorTables = try graph.tableVector(1, "operators") ?? []
        var operators: [OperatorDesc] = []
        operators.reserveCapacity(operatorTables.count)
        for op in operatorTables {
            operators.append(try ModelFile.decodeOperator(op))
        }
        self.operators = operators
        self.inputs = (try graph.int32Vector(2, "inputs") ?? []).map { Int($0) }
        self.outputs = (try graph.int32Vector(3, "outputs") ?? []).map { Int($0) }
        self.audio = try root.table(4, "audio").map { (t: FBTable) throws(ModelError) in try ModelFile.decodeAudio(t) }
        self.pointCloud = try root.table(5, "point_cloud").map { (t: FBTable) throws(ModelError) in try ModelFile.decodePointCloud(t) }
        self.image = try root.table(6, "image").map { (t: FBTable) throws(ModelError) in try ModelFile.decodeImage(t) }
        guard let checksumAt = try root.field(7, size: 4) else { throw ModelError("model.checksum is missing") }
        self.checksum = try root.u32(7, 0)

        try verifyGraph()
        // Last, so that the checks above meet damaged structure rather than a checksum failure.
        let computed = ModelFile.checksum(bytes, excluding: checksumAt)
        guard computed == checksum else {
            throw ModelError("checksum mismatch: file says \(checksum), its bytes give \(computed) (the file is corrupted)")
        }
    }

    /// CRC-32 over every byte of the file, the 4 checksum bytes at `at` counted as zeros: no
    /// bit of the graph, options, preprocessing or weights can change unnoticed.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, excluding at: Int) -> UInt32 {
        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[0..<at]))
        let zeros: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeBytes(of: zeros) { crc.update($0) }
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[(at + 4)...]))
        return crc.value
    }

    /// Where the checksum field of a model file sits (for writers, which fill it in last).
    public static func checksumOffset(_ bytes: UnsafeRawBufferPointer) throws(ModelError) -> Int {
        let r = FBReader(bytes: bytes)
        let root = try FBTable(r, at: try r.follow(0, "root"), path: "model")
        guard let at = try root.field(7, size: 4) else { throw ModelError("model.checksum is missing") }
        return at
    }

    /// The bytes of a constant tensor, in place in the file.
    public func constantData(_ tensor: Int) -> UnsafeRawBufferPointer {
        let b = buffers[tensors[tensor].buffer]
        return UnsafeRawBufferPointer(rebasing: bytes[b.offset..<(b.offset + b.size)])
    }

    /// Total bytes of constant data.
    public var constantBytes: Int { buffers.reduce(0) { $0 + $1.size } }

    // MARK: - Graph checks

    func verifyGraph() throws(ModelError) {
        let n = tensors.count
        var produced = [Bool](repeating: false, count: n)
        for i in inputs {
            guard i >= 0, i < n else { throw ModelError("graph.inputs: tensor \(i) does not exist (\(n) tensors)") }
            guard !tensors[i].isConstant else { throw ModelError("graph.inputs: tensor \(i) '\(tensors[i].name)' is a constant") }
            guard !produced[i] else { throw ModelError("graph.inputs: tensor \(i) listed twice") }
            produced[i] = true
        }
        for (k, op) in operators.enumerated() {
            func where_() -> String { "graph.operators[\(k)] (opcode \(op.code) '\(op.name)')" }
            for i in op.inputs {
                if i == -1 { continue }
                guard i >= 0, i < n else { throw ModelError("\(where_()): input tensor \(i) does not exist") }
                guard tensors[i].isConstant || produced[i] else {
                    throw ModelError("\(where_()): input '\(tensors[i].name)' is not computed before this operator (cycle or wrong order)")
                }
            }
            guard !op.outputs.isEmpty else { throw ModelError("\(where_()): has no outputs") }
            for o in op.outputs {
                guard o >= 0, o < n else { throw ModelError("\(where_()): output tensor \(o) does not exist") }
                guard !tensors[o].isConstant else { throw ModelError("\(where_()): writes to constant '\(tensors[o].name)'") }
                guard !produced[o] else { throw ModelError("\(where_()): output '\(tensors[o].name)' is already computed elsewhere") }
                produced[o] = true
            }
        }
        guard !outputs.isEmpty else { throw ModelError("graph.outputs is empty") }
        for o in outputs {
            guard o >= 0, o < n else { throw ModelError("graph.outputs: tensor \(o) does not exist") }
            guard produced[o] else { throw ModelError("graph.outputs: '\(tensors[o].name)' is never computed") }
        }
    }

    // MARK: - Tables

    static func decodeMetadata(_ t: FBTable?) throws(ModelError) -> ModelMetadata {
        var m = ModelMetadata()
        guard let t else { return m }
        m.name = try t.string(0, "name") ?? ""
        m.producer = try t.string(1, "producer") ?? ""
        m.description = try t.string(2, "description", multiline: true) ?? ""
        m.source = try t.string(3, "source", multiline: true) ?? ""
        return m
    }

    static func decodeTensor(_ t: FBTable, buffers: [BufferDesc]) throws(ModelError) -> TensorDesc {
        let name = try t.string(0, "name") ?? ""
        let rawType = try t.i8(1, 0)
        guard let dtype = DType(rawValue: rawType) else { throw ModelError("\(t.path).dtype: unknown value \(rawType)") }
        let shape32 = try t.int32Vector(2, "shape") ?? []
        guard shape32.count <= 8 else { throw ModelError("\(t.path).shape: rank \(shape32.count) exceeds 8") }
        var shape: [Int] = []
        var elements = 1
        for (i, d) in shape32.enumerated() {
            guard d >= 1 else { throw ModelError("\(t.path).shape: dimension \(i) is \(d)") }
            let (p, o) = elements.multipliedReportingOverflow(by: Int(d))
            guard !o, p <= (1 << 40) else { throw ModelError("\(t.path).shape: element count overflows") }
            elements = p
            shape.append(Int(d))
        }
        let buffer = Int(try t.i32(3, -1))
        var packing: BitPacking? = nil
        var byteCount: Int
        if let p = try t.table(4, "packing") {
            guard dtype == .bit else { throw ModelError("\(t.path): packing given for a \(dtype.name) tensor") }
            let axis = Int(try p.i32(0, 0))
            let wordBits = Int(try p.u8(1, 64))
            let order = try p.i8(2, 0)
            guard axis >= 0, axis < shape.count else { throw ModelError("\(p.path).axis \(axis) is outside rank \(shape.count)") }
            guard axis == shape.count - 1 else { throw ModelError("\(p.path).axis \(axis): only the last axis can be packed") }
            guard wordBits == 64 else { throw ModelError("\(p.path).word_bits \(wordBits) is not supported (64)") }
            guard order == 0 else { throw ModelError("\(p.path).bit_order \(order) is not supported (LSB_FIRST)") }
            guard try p.bool(3, true) else { throw ModelError("\(p.path).one_is_negative = false is not supported") }
            packing = BitPacking(axis: axis, wordBits: wordBits)
            let words = (shape[axis] + 63) / 64
            byteCount = elements / shape[axis] * words * 8
        } else {
            guard dtype != .bit else { throw ModelError("\(t.path): bit tensor without packing") }
            byteCount = elements * (dtype == .int8 ? 1 : 4)
        }
        if buffer != -1 {
            guard buffer >= 0, buffer < buffers.count else {
                throw ModelError("\(t.path).buffer \(buffer) does not exist (\(buffers.count) buffers)")
            }
            guard buffers[buffer].size == byteCount else {
                throw ModelError("\(t.path) '\(name)': buffer \(buffer) holds \(buffers[buffer].size) bytes, shape \(shape) of \(dtype.name) needs \(byteCount)")
            }
        }
        return TensorDesc(name: name, dtype: dtype, shape: shape, buffer: buffer, packing: packing,
                          byteCount: byteCount, elementCount: elements)
    }

    static func decodeOperator(_ t: FBTable) throws(ModelError) -> OperatorDesc {
        let code = try t.u16(0, 0)
        let inputs = (try t.int32Vector(1, "inputs") ?? []).map { Int($0) }
        let outputs = (try t.int32Vector(2, "outputs") ?? []).map { Int($0) }
        let name = try t.string(5, "name") ?? ""
        guard !name.isEmpty else { throw ModelError("\(t.path).name is empty: every operator is named for reports and errors") }
        let optionsType = try t.u8(3, 0)
        let options = try t.table(4, "options").map { OptionsTable($0) }
        guard (optionsType == 0) == (options == nil) else {
            throw ModelError("\(t.path): options_type \(optionsType) and the options table disagree (one is missing)")
        }
        return OperatorDesc(code: code, inputs: inputs, outputs: outputs, optionsType: optionsType, options: options, name: name)
    }

    static func decodeAudio(_ t: FBTable) throws(ModelError) -> AudioFrontEndSpec {
        var a = AudioFrontEndSpec()
        a.sampleRate = Int(try t.i32(0, 16000)); a.clipSamples = Int(try t.i32(1, 16000))
        a.nFFT = Int(try t.i32(2, 2048)); a.winLength = Int(try t.i32(3, 2048)); a.hopLength = Int(try t.i32(4, 512))
        let w = try t.i8(5, 0)
        guard let window = WindowKind(rawValue: w) else { throw ModelError("\(t.path).window: unknown value \(w)") }
        a.window = window
        a.center = try t.bool(6, true); a.padReflect = try t.bool(7, true)
        a.nMels = Int(try t.i32(8, 32)); a.fMin = try t.f32(9, 0); a.fMax = try t.f32(10, 8000)
        let m = try t.i8(11, 0)
        guard let scale = MelScale(rawValue: m) else { throw ModelError("\(t.path).mel_scale: unknown value \(m)") }
        a.melScale = scale
        a.power = try t.f32(12, 2); a.normalized = try t.bool(13, true); a.toDB = try t.bool(14, true)
        a.dbMultiplier = try t.f32(15, 10); a.amin = try t.f32(16, 1e-10); a.topDB = try t.f32(17, 0)
        a.labels = try t.stringVector(18, "labels") ?? []
        a.silenceLabel = Int(try t.i32(19, -1)); a.unknownLabel = Int(try t.i32(20, -1))
        a.detectorThreshold = try t.f32(21, 0); a.detectorAverage = Int(try t.i32(22, 0))
        a.detectorRefractory = try t.f32(23, 0)
        guard a.detectorThreshold >= 0, a.detectorThreshold < 1 else {
            throw ModelError("\(t.path).detector_threshold \(a.detectorThreshold) must be in [0, 1)")
        }
        guard a.detectorAverage >= 0, a.detectorAverage <= 4096 else {
            throw ModelError("\(t.path).detector_average \(a.detectorAverage) must be in 0...4096")
        }
        guard a.detectorRefractory >= 0, a.detectorRefractory <= 3600 else {
            throw ModelError("\(t.path).detector_refractory \(a.detectorRefractory) must be in 0...3600 seconds")
        }
        guard a.sampleRate > 0, a.sampleRate <= 384_000 else { throw ModelError("\(t.path).sample_rate \(a.sampleRate) out of range") }
        guard a.nFFT >= 2, a.nFFT <= 1 << 16, a.nFFT & (a.nFFT - 1) == 0 else {
            throw ModelError("\(t.path).n_fft \(a.nFFT) must be a power of two up to 65536")
        }
        guard a.winLength >= 8, a.winLength <= a.nFFT else { throw ModelError("\(t.path).win_length \(a.winLength) must be in 8...n_fft") }
        for (name, v) in [("power", a.power), ("db_multiplier", a.dbMultiplier), ("amin", a.amin)] where !(v.isFinite && v > 0) {
            throw ModelError("\(t.path).\(name) is \(v), not a positive finite number")
        }
        guard a.topDB.isFinite, a.topDB >= 0 else { throw ModelError("\(t.path).top_db is \(a.topDB), not a finite number >= 0") }
        try checkLabelIndex(a.silenceLabel, "silence_label", labels: a.labels.count, t.path)
        try checkLabelIndex(a.unknownLabel, "unknown_label", labels: a.labels.count, t.path)
        guard a.hopLength >= 1, a.hopLength <= 1 << 16 else { throw ModelError("\(t.path).hop_length \(a.hopLength) out of range") }
        guard a.clipSamples >= a.hopLength, a.clipSamples <= 1 << 24 else { throw ModelError("\(t.path).clip_samples \(a.clipSamples) out of range") }
        guard a.nMels >= 1, a.nMels <= 1024 else { throw ModelError("\(t.path).n_mels \(a.nMels) out of range") }
        guard a.fMin >= 0, a.fMax > a.fMin, a.fMax <= Float(a.sampleRate) / 2 + 0.5 else {
            throw ModelError("\(t.path): mel range \(a.fMin)–\(a.fMax) Hz is invalid for \(a.sampleRate) Hz")
        }
        return a
    }

    static func decodePointCloud(_ t: FBTable) throws(ModelError) -> PointCloudSpec {
        var p = PointCloudSpec()
        p.numPoints = Int(try t.i32(0, 1024))
        guard p.numPoints >= 1, p.numPoints <= 1 << 22 else { throw ModelError("\(t.path).num_points \(p.numPoints) out of range") }
        p.center = try t.bool(1, true); p.unitSphere = try t.bool(2, true)
        p.farthestPointSampling = try t.bool(3, false); p.seed = try t.u64(4, 1)
        p.labels = try t.stringVector(5, "labels") ?? []
        return p
    }

    static func decodeImage(_ t: FBTable) throws(ModelError) -> ImageSpec {
        var i = ImageSpec()
        i.channels = Int(try t.i32(0, 3)); i.height = Int(try t.i32(1, 0)); i.width = Int(try t.i32(2, 0))
        i.mean = try t.floatVector(3, "mean") ?? []; i.std = try t.floatVector(4, "std") ?? []
        i.labels = try t.stringVector(5, "labels") ?? []
        guard (1...64).contains(i.channels), (0...(1 << 15)).contains(i.height), (0...(1 << 15)).contains(i.width) else {
            throw ModelError("\(t.path): \(i.channels) channels of \(i.height)×\(i.width) is out of range")
        }
        guard i.mean.isEmpty || i.mean.count == i.channels, i.std.isEmpty || i.std.count == i.channels else {
            throw ModelError("\(t.path): mean and std need one value per channel (\(i.channels))")
        }
        guard i.mean.allSatisfy({ $0.isFinite }), i.std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelError("\(t.path): mean must be finite and std finite and positive")
        }
        return i
    }

    /// A class index that is -1 (none) or names one of the labels.
    static func checkLabelIndex(_ i: Int, _ name: String, labels: Int, _ path: @autoclosure () -> String) throws(ModelError) {
        guard i == -1 || (i >= 0 && i < labels) else {
            throw ModelError("\(path()).\(name) \(i) names no label (\(labels) labels)")
        }
    }
}
