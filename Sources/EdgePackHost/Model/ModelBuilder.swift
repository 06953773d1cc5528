import EdgePackFormat
import EdgePackRuntime

/// Builds a .epk in memory: the converter and the tests describe a graph with it, then
/// `serialize()` writes the FlatBuffer followed by the 64-byte-aligned data section.
public final class ModelBuilder {
    public struct Tensor {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        public var buffer: Int
    }

    /// An operator as written: opcode, tensors, and its options table's fields (OperatorOptions).
    public struct Operator {
        public var opcode: OpCode
        public var inputs: [Int]
        public var outputs: [Int]
        public var optionsType: UInt8
        public var optionFields: [OptionField?]?
        public var name: String
    }

    public var metadata = ModelMetadata()
    public var audio: AudioFrontEndSpec?
    public var pointCloud: PointCloudSpec?
    public var image: ImageSpec?
    public private(set) var tensors: [Tensor] = []
    public private(set) var operators: [Operator] = []
    public private(set) var inputs: [Int] = []
    public private(set) var outputs: [Int] = []
    public private(set) var buffers: [[UInt8]] = []

    public init(name: String = "", producer: String = "edgepack") {
        metadata.name = name
        metadata.producer = producer
    }

    @discardableResult
    public func addInput(_ name: String, shape: [Int]) -> Int {
        let t = addActivation(name, shape: shape)
        inputs.append(t)
        return t
    }

    public func addActivation(_ name: String, shape: [Int], dtype: DType = .float32) -> Int {
        tensors.append(Tensor(name: name, dtype: dtype, shape: shape, buffer: -1))
        return tensors.count - 1
    }

    public func addConstant(_ name: String, shape: [Int], floats: [Float]) -> Int {
        precondition(shape.reduce(1, *) == floats.count, "\(name): \(floats.count) values for shape \(shape)")
        var bytes = [UInt8](); bytes.reserveCapacity(floats.count * 4)
        for v in floats { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return addConstant(name, shape: shape, dtype: .float32, bytes: bytes)
    }

    public func addConstant(_ name: String, shape: [Int], int32s: [Int32]) -> Int {
        var bytes = [UInt8]()
        for v in int32s { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        return addConstant(name, shape: shape, dtype: .int32, bytes: bytes)
    }

    /// A BIT constant packed on its last axis (see `packSigns`).
    public func addPackedConstant(_ name: String, shape: [Int], words: [UInt64]) -> Int {
        var bytes = [UInt8]()
        for w in words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
        return addConstant(name, shape: shape, dtype: .bit, bytes: bytes)
    }

    public func addConstant(_ name: String, shape: [Int], dtype: DType, bytes: [UInt8]) -> Int {
        buffers.append(bytes)
        tensors.append(Tensor(name: name, dtype: dtype, shape: shape, buffer: buffers.count - 1))
        return tensors.count - 1
    }

    /// Adds an operator with its options (the operator's own OperatorOptions type).
    public func addOperator<O: OperatorOptions>(_ opcode: OpCode, inputs: [Int], outputs: [Int], options: O, name: String = "") {
        precondition(O.tableType == 0 || O.tableType == opcode.optionsType, "\(opcode.name) takes options table \(opcode.optionsType), not \(O.tableType)")
        // Every operator is named (reports and errors cite it): the opcode and position by default.
        operators.append(Operator(opcode: opcode, inputs: inputs, outputs: outputs, optionsType: O.tableType,
                                  optionFields: O.tableType == 0 ? nil : options.fields,
                                  name: name.isEmpty ? "\(opcode.name)_\(operators.count)" : name))
    }

    public func markOutput(_ tensor: Int) { outputs.append(tensor) }

    /// The file: FlatBuffer, then each buffer at a 64-byte boundary; the checksum over all of it.
    public func serialize() -> [UInt8] {
        // Pass 1 sizes the FlatBuffer (offsets are fixed-size fields), pass 2 writes real offsets.
        var offsets = [UInt64](repeating: 0, count: buffers.count)
        var fb = FlatBufferSerializer.serialize(root: modelTable(offsets: offsets), identifier: "EPK1")
        var at = (fb.count + 63) / 64 * 64
        for (i, b) in buffers.enumerated() {
            offsets[i] = UInt64(at)
            at = (at + b.count + 63) / 64 * 64
        }
        fb = FlatBufferSerializer.serialize(root: modelTable(offsets: offsets), identifier: "EPK1")
        var file = fb
        for (i, b) in buffers.enumerated() {
            while file.count < Int(offsets[i]) { file.append(0) }
            file.append(contentsOf: b)
        }
        // The checksum covers every byte but itself: computed last, written in place.
        let slot = try! file.withUnsafeBytes { (raw) throws(ModelError) in try ModelFile.checksumOffset(raw) }
        let crc = file.withUnsafeBytes { ModelFile.checksum($0, excluding: slot) }
        withUnsafeBytes(of: crc.littleEndian) { for k in 0..<4 { file[slot + k] = $0[k] } }
        return file
    }

    // MARK: - Schema tables (slots follow Schema/edgepack.fbs)

    func modelTable(offsets: [UInt64]) -> FBValue {
        let meta = FBValue.table([
            .ref(.string(metadata.name)), .ref(.string(metadata.producer)),
            .ref(.string(metadata.description)), .ref(.string(metadata.source)),
        ])
        let graph = FBValue.table([
            .ref(.tableVector(tensors.map(tensorTable))),
            .ref(.tableVector(operators.map(operatorTable))),
            .ref(.int32Vector(inputs.map { Int32($0) })),
            .ref(.int32Vector(outputs.map { Int32($0) })),
        ])
        let bufferTables = buffers.indices.map { i in
            FBValue.table([.u64(offsets[i]), .u64(UInt64(buffers[i].count))])
        }
        return .table([
            .u32(modelFormatVersion), .ref(meta), .ref(graph), .ref(.tableVector(bufferTables)),
            audio.map { .ref(audioTable($0)) }, pointCloud.map { .ref(pointCloudTable($0)) },
            image.map { .ref(imageTable($0)) }, .u32(0xFFFF_FFFF),   // placeholder, filled by serialize()
        ])
    }

    func tensorTable(_ t: Tensor) -> FBValue {
        let packing: FBField? = t.dtype == .bit
            ? .ref(.table([.i32(Int32(t.shape.count - 1)), .u8(64), .i8(0), .bool(true)])) : nil
        return .table([.ref(.string(t.name)), .i8(t.dtype.rawValue), .ref(.int32Vector(t.shape.map { Int32($0) })),
                       .i32(Int32(t.buffer)), packing])
    }

    func operatorTable(_ op: Operator) -> FBValue {
        .table([.u16(op.opcode.rawValue), .ref(.int32Vector(op.inputs.map { Int32($0) })),
                .ref(.int32Vector(op.outputs.map { Int32($0) })), op.optionsType == 0 ? nil : .u8(op.optionsType),
                op.optionFields.map { .ref(optionsValue($0)) }, .ref(.string(op.name))])
    }

    func optionsValue(_ fields: [OptionField?]) -> FBValue {
        .table(fields.map { f -> FBField? in
            switch f {
            case nil: return nil
            case .bool(let v): return .bool(v)
            case .i8(let v): return .i8(v)
            case .i32(let v): return .i32(v)
            case .f32(let v): return .f32(v)
            case .i32Vector(let v): return .ref(.int32Vector(v))
            case .table(let t): return .ref(optionsValue(t))
            }
        })
    }

    func audioTable(_ a: AudioFrontEndSpec) -> FBValue {
        .table([.i32(Int32(a.sampleRate)), .i32(Int32(a.clipSamples)), .i32(Int32(a.nFFT)), .i32(Int32(a.winLength)),
                .i32(Int32(a.hopLength)), .i8(a.window.rawValue), .bool(a.center), .bool(a.padReflect),
                .i32(Int32(a.nMels)), .f32(a.fMin), .f32(a.fMax), .i8(a.melScale.rawValue), .f32(a.power),
                .bool(a.normalized), .bool(a.toDB), .f32(a.dbMultiplier), .f32(a.amin), .f32(a.topDB),
                .ref(.stringVector(a.labels)), .i32(Int32(a.silenceLabel)), .i32(Int32(a.unknownLabel)),
                .f32(a.detectorThreshold), .i32(Int32(a.detectorAverage)), .f32(a.detectorRefractory)])
    }

    func pointCloudTable(_ p: PointCloudSpec) -> FBValue {
        .table([.i32(Int32(p.numPoints)), .bool(p.center), .bool(p.unitSphere), .bool(p.farthestPointSampling),
                .u64(p.seed), .ref(.stringVector(p.labels))])
    }

    func imageTable(_ i: ImageSpec) -> FBValue {
        .table([.i32(Int32(i.channels)), .i32(Int32(i.height)), .i32(Int32(i.width)), .ref(.floatVector(i.mean)),
                .ref(.floatVector(i.std)), .ref(.stringVector(i.labels))])
    }
}

extension ModelBuilder {
    /// Replaces the operator list (passes over the written graph, e.g. fusing operators), then
    /// drops the activations no operator reads or writes any more, renumbering the rest.
    public func replaceOperators(_ ops: [Operator]) {
        operators = ops
        var used = [Bool](repeating: false, count: tensors.count)
        for i in inputs + outputs { used[i] = true }
        for op in ops { for t in op.inputs + op.outputs where t >= 0 { used[t] = true } }
        var index = [Int](repeating: -1, count: tensors.count)
        var kept: [Tensor] = []
        for (t, tensor) in tensors.enumerated() where used[t] || tensor.buffer >= 0 {
            index[t] = kept.count
            kept.append(tensor)
        }
        tensors = kept
        inputs = inputs.map { index[$0] }
        outputs = outputs.map { index[$0] }
        for k in operators.indices {
            operators[k].inputs = operators[k].inputs.map { $0 >= 0 ? index[$0] : -1 }
            operators[k].outputs = operators[k].outputs.map { index[$0] }
        }
    }

    /// A float32 constant's values; nil for an activation or another type.
    public func constantFloats(_ t: Int) -> [Float]? {
        guard tensors[t].buffer >= 0, tensors[t].dtype == .float32 else { return nil }
        let bytes = buffers[tensors[t].buffer]
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }
}
