import EdgePackFormat

/// Builds a .epk in memory: the converter and the tests describe a graph with it, then
/// `serialize()` writes the FlatBuffer followed by the 64-byte-aligned data section.
public final class ModelBuilder {
    public struct Tensor {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        public var buffer: Int
    }

    public var metadata = ModelMetadata()
    public var audio: AudioFrontEndSpec?
    public var pointCloud: PointCloudSpec?
    public var image: ImageSpec?
    public private(set) var tensors: [Tensor] = []
    public private(set) var operators: [OperatorDesc] = []
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

    public func addOperator(_ opcode: OpCode, inputs: [Int], outputs: [Int], options: OpOptions = .none, name: String = "") {
        operators.append(OperatorDesc(opcode: opcode, inputs: inputs, outputs: outputs, options: options, name: name))
    }

    public func markOutput(_ tensor: Int) { outputs.append(tensor) }

    /// The file: FlatBuffer, then each buffer at a 64-byte boundary; checksum over the buffers.
    public func serialize() -> [UInt8] {
        var crc = CRC32()
        for b in buffers { b.withUnsafeBytes { crc.update($0) } }
        // Pass 1 sizes the FlatBuffer (offsets are fixed-size fields), pass 2 writes real offsets.
        var offsets = [UInt64](repeating: 0, count: buffers.count)
        var fb = FlatBufferSerializer.serialize(root: modelTable(offsets: offsets, checksum: crc.value), identifier: "EPK1")
        var at = (fb.count + 63) / 64 * 64
        for (i, b) in buffers.enumerated() {
            offsets[i] = UInt64(at)
            at = (at + b.count + 63) / 64 * 64
        }
        fb = FlatBufferSerializer.serialize(root: modelTable(offsets: offsets, checksum: crc.value), identifier: "EPK1")
        var file = fb
        for (i, b) in buffers.enumerated() {
            while file.count < Int(offsets[i]) { file.append(0) }
            file.append(contentsOf: b)
        }
        return file
    }

    // MARK: - Schema tables (slots follow Schema/edgepack.fbs)

    func modelTable(offsets: [UInt64], checksum: UInt32) -> FBValue {
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
            image.map { .ref(imageTable($0)) }, .u32(checksum),
        ])
    }

    func tensorTable(_ t: Tensor) -> FBValue {
        let packing: FBField? = t.dtype == .bit
            ? .ref(.table([.i32(Int32(t.shape.count - 1)), .u8(64), .i8(0), .bool(true)])) : nil
        return .table([.ref(.string(t.name)), .i8(t.dtype.rawValue), .ref(.int32Vector(t.shape.map { Int32($0) })),
                       .i32(Int32(t.buffer)), packing])
    }

    func convTable(_ c: ConvParams) -> FBValue {
        .table([.i32(Int32(c.strideH)), .i32(Int32(c.strideW)), .i32(Int32(c.padTop)), .i32(Int32(c.padLeft)),
                .i32(Int32(c.padBottom)), .i32(Int32(c.padRight)), .i32(Int32(c.dilationH)), .i32(Int32(c.dilationW)),
                .i32(Int32(c.groups)), .i8(c.activation.kind.rawValue), .f32(c.activation.clipMin), .f32(c.activation.clipMax)])
    }

    func fusedTable(_ a: FusedActivation) -> FBValue {
        .table([.i8(a.kind.rawValue), .f32(a.clipMin), .f32(a.clipMax)])
    }

    func operatorTable(_ op: OperatorDesc) -> FBValue {
        var type: UInt8 = 0
        var options: FBValue? = nil
        switch op.options {
        case .none: break
        case .conv(let c): type = 1; options = convTable(c)
        case .binaryConv(let c, let cin): type = 2; options = .table([.ref(convTable(c)), .i32(Int32(cin))])
        case .gemm(let a): type = 3; options = fusedTable(a)
        case .binaryGemm(let a): type = 4; options = fusedTable(a)
        case .signPack(let last, let threshold): type = 5; options = .table([.bool(last), .f32(threshold)])
        case .channelAffine: type = 6; options = .table([])
        case .prelu: type = 7; options = .table([])
        case .clip(let lo, let hi): type = 8; options = .table([.f32(lo), .f32(hi)])
        case .add(let a): type = 9; options = .table([.i8(a.kind.rawValue)])
        case .pool(let p):
            type = 10
            options = .table([.i8(p.kind.rawValue), .bool(p.global), .i32(Int32(p.kernelH)), .i32(Int32(p.kernelW)),
                               .i32(Int32(p.strideH)), .i32(Int32(p.strideW)), .i32(Int32(p.padTop)), .i32(Int32(p.padLeft)),
                               .i32(Int32(p.padBottom)), .i32(Int32(p.padRight)), .bool(p.countIncludePad)])
        case .reduceMax(let axis, let keep, let offset): type = 11; options = .table([.i32(Int32(axis)), .bool(keep), .f32(offset)])
        case .reshape: type = 12; options = .table([])
        case .transpose(let perm): type = 13; options = .table([.ref(.int32Vector(perm.map { Int32($0) }))])
        case .softmax(let axis): type = 14; options = .table([.i32(Int32(axis))])
        }
        return .table([.u16(op.opcode.rawValue), .ref(.int32Vector(op.inputs.map { Int32($0) })),
                       .ref(.int32Vector(op.outputs.map { Int32($0) })), type == 0 ? nil : .u8(type),
                       options.map { .ref($0) }, .ref(.string(op.name))])
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
