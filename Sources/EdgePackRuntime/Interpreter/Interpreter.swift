import CEdgePackSys
import EdgePackFormat

/// How binary layers execute: XNOR/popcount kernels, or (for benchmarks and checks) the float
/// kernels on the same model with weights ±1 and inputs ±1, the baseline binary is measured against.
public enum ExecutionMode { case binary, floatReference }

/// Runs a verified model: every operator is checked and prepared, constant float weights are
/// packed and the arena is planned once, in init; `invoke` then only executes kernels (no
/// allocation, no checks, no weight packing).
public final class Interpreter {
    public let model: ModelFile
    public let mode: ExecutionMode
    public let arenaPlan: ArenaPlan
    var ops: [PreparedOp] = []
    var tensorOffsets: [Int]
    let arena: UnsafeMutableRawPointer
    /// Weights prepared once for the float kernels (PackedWeights.swift); nil when none.
    let packedWeights: UnsafeMutableRawPointer?
    /// Bytes of `packedWeights`: persistent memory beside the arena.
    public let packedWeightBytes: Int
    /// Per-operator time of the last `invoke` when `profiling` is set.
    public var profiling = false
    public private(set) var operatorNanoseconds: [UInt64]

    /// Largest activation arena a model may ask for (1 GiB): a corrupted shape must not turn
    /// into an allocation failure.
    public static let arenaLimit = 1 << 30

    public init(model: ModelFile, mode: ExecutionMode = .binary) throws(RuntimeError) {
        self.model = model
        self.mode = mode
        for i in model.inputs where model.tensors[i].dtype != .float32 {
            throw RuntimeError("graph input '\(model.tensors[i].name)' is \(model.tensors[i].dtype.name); inputs must be float32")
        }
        // Bounding activations first keeps every size computed while planning far from overflow.
        for t in model.tensors where !t.isConstant && t.byteCount > Interpreter.arenaLimit {
            throw RuntimeError("tensor '\(t.name)' \(t.shape) needs \(t.byteCount) bytes, over the \(Interpreter.arenaLimit)-byte limit")
        }
        var prepared: [PreparedOp] = []
        for (index, op) in model.operators.enumerated() {
            prepared.append(try Interpreter.prepare(OpContext(model: model, op: op, index: index), mode: mode))
        }
        (self.packedWeights, self.packedWeightBytes) = try Interpreter.packWeights(&prepared, model: model)

        // Lifetimes: graph inputs from the start, graph outputs to the end.
        let n = model.tensors.count, end = prepared.count
        var first = [Int](repeating: Int.max, count: n), last = [Int](repeating: -1, count: n)
        for i in model.inputs { first[i] = -1; last[i] = max(last[i], -1) }
        for (k, op) in prepared.enumerated() {
            for i in op.inputs where i >= 0 && !model.tensors[i].isConstant { last[i] = max(last[i], k) }
            first[op.output] = min(first[op.output], k); last[op.output] = max(last[op.output], k)
        }
        for o in model.outputs { last[o] = end }
        var requests: [ArenaRequest] = []
        var owner: [Int] = []     // tensor index, or -(op + 1) * 8 - scratch slot
        for t in 0..<n where !model.tensors[t].isConstant && first[t] != Int.max {
            let bytes = mode == .floatReference && model.tensors[t].dtype == .bit
                ? model.tensors[t].elementCount * 4 : model.tensors[t].byteCount
            requests.append(ArenaRequest(size: bytes, first: first[t], last: last[t]))
            owner.append(t)
        }
        for (k, op) in prepared.enumerated() {
            for (s, size) in op.scratchSizes.enumerated() {
                requests.append(ArenaRequest(size: size, first: k, last: k))
                owner.append(-(k * 8 + s) - 1)
            }
        }
        let plan = planArena(requests)
        guard plan.size <= Interpreter.arenaLimit else {
            packedWeights?.deallocate()
            throw RuntimeError("the model needs \(plan.size) bytes of activation memory, over the \(Interpreter.arenaLimit)-byte limit")
        }
        self.arenaPlan = plan
        var offsets = [Int](repeating: -1, count: n)
        for (r, o) in owner.enumerated() {
            if o >= 0 {
                offsets[o] = plan.offsets[r]
            } else {
                let code = -o - 1
                let (k, s) = (code / 8, code % 8)
                while prepared[k].scratchOffsets.count <= s { prepared[k].scratchOffsets.append(0) }
                prepared[k].scratchOffsets[s] = plan.offsets[r]
            }
        }
        self.tensorOffsets = offsets
        self.ops = prepared
        self.arena = UnsafeMutableRawPointer.allocate(byteCount: max(plan.size, arenaAlignment), alignment: arenaAlignment)
        self.arena.initializeMemory(as: UInt8.self, repeating: 0, count: max(plan.size, arenaAlignment))
        self.operatorNanoseconds = [UInt64](repeating: 0, count: prepared.count)
    }

    deinit { arena.deallocate(); packedWeights?.deallocate() }

    static func prepare(_ c: OpContext, mode: ExecutionMode) throws(RuntimeError) -> PreparedOp {
        switch c.op.opcode {
        case .conv2d: return try prepareConv(c, is1D: false)
        case .conv1d: return try prepareConv(c, is1D: true)
        case .gemm: return try prepareGemm(c)
        case .binaryConv2d: return try prepareBinaryConv(c, is1D: false, mode: mode)
        case .binaryConv1d: return try prepareBinaryConv(c, is1D: true, mode: mode)
        case .binaryGemm: return try prepareBinaryGemm(c, mode: mode)
        case .signPack: return try prepareSignPack(c, mode: mode)
        case .channelAffine: return try prepareChannelAffine(c)
        case .prelu: return try preparePRelu(c)
        case .relu: return try prepareUnary(c, kind: .relu)
        case .clip: return try prepareUnary(c, kind: .clip)
        case .add: return try prepareAdd(c)
        case .pool2d: return try preparePool(c, is1D: false)
        case .pool1d: return try preparePool(c, is1D: true)
        case .reduceMax: return try prepareReduceMax(c)
        case .reshape: return try prepareReshape(c)
        case .transpose: return try prepareTranspose(c)
        case .softmax: return try prepareSoftmax(c)
        case .sub: return try prepareAdd(c, kind: .sub)
        case .mul: return try prepareAdd(c, kind: .mul)
        case .sign: return try prepareSign(c)
        case .matmul: return try prepareMatMul(c)
        case .logSoftmax: return try prepareSoftmax(c, log: true)
        }
    }

    // MARK: - Inputs and outputs

    public var inputCount: Int { model.inputs.count }
    public var outputCount: Int { model.outputs.count }
    public func inputShape(_ i: Int) -> [Int] { model.tensors[model.inputs[i]].shape }
    public func outputShape(_ i: Int) -> [Int] { model.tensors[model.outputs[i]].shape }
    public func inputName(_ i: Int) -> String { model.tensors[model.inputs[i]].name }
    public func outputName(_ i: Int) -> String { model.tensors[model.outputs[i]].name }

    /// Gives write access to input `i` in the arena.
    public func withInput<R>(_ i: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        let t = model.inputs[i]
        return body(UnsafeMutableBufferPointer(start: floats(t), count: model.tensors[t].elementCount))
    }

    public func setInput(_ i: Int, _ data: [Float]) throws(RuntimeError) {
        let t = model.inputs[i]
        guard data.count == model.tensors[t].elementCount else {
            throw RuntimeError("input '\(model.tensors[t].name)' takes \(model.tensors[t].elementCount) values \(model.tensors[t].shape), got \(data.count)")
        }
        withInput(i) { buf in for k in 0..<data.count { buf[k] = data[k] } }
    }

    public func output(_ i: Int) -> [Float] {
        let t = model.outputs[i]
        return Array(UnsafeBufferPointer(start: floats(t), count: model.tensors[t].elementCount))
    }

    // MARK: - Tensor access

    @inline(__always) func raw(_ t: Int) -> UnsafeMutableRawPointer {
        if model.tensors[t].isConstant {
            return UnsafeMutableRawPointer(mutating: model.constantData(t).baseAddress!)
        }
        return arena + tensorOffsets[t]
    }
    @inline(__always) func floats(_ t: Int) -> UnsafeMutablePointer<Float> { raw(t).assumingMemoryBound(to: Float.self) }
    @inline(__always) func words(_ t: Int) -> UnsafeMutablePointer<UInt64> { raw(t).assumingMemoryBound(to: UInt64.self) }
    @inline(__always) func optionalFloats(_ t: Int) -> UnsafePointer<Float>? { t >= 0 ? UnsafePointer(floats(t)) : nil }
    @inline(__always) func scratch(_ op: PreparedOp, _ s: Int) -> UnsafeMutableRawPointer { arena + op.scratchOffsets[s] }
    @inline(__always) func scratchFloats(_ op: PreparedOp, _ s: Int) -> UnsafeMutablePointer<Float> {
        scratch(op, s).assumingMemoryBound(to: Float.self)
    }

    /// A binary layer's output transform: scale, bias and activation at inputs 2, 3 and 4.
    func transform(_ op: PreparedOp) -> OutputTransform {
        OutputTransform(scale: floats(op.inputs[2]), bias: floats(op.inputs[3]), activation: activation(op, slopeInput: 4))
    }

    /// The fused activation, its PReLU slope at input `slopeInput` (3 for float conv/gemm).
    func activation(_ op: PreparedOp, slopeInput: Int = 3) -> ChannelActivation {
        guard op.activation.kind == .prelu && op.inputs.count > slopeInput else { return ChannelActivation(op.activation) }
        let slope = op.inputs[slopeInput]
        return ChannelActivation(op.activation, slope: UnsafePointer(floats(slope)), slopeCount: model.tensors[slope].elementCount)
    }

    // MARK: - Execution

    public func invoke() {
        for k in 0..<ops.count {
            let start = profiling ? ep_monotonic_ns() : 0
            execute(ops[k])
            if profiling { operatorNanoseconds[k] = ep_monotonic_ns() - start }
        }
    }

    func execute(_ op: PreparedOp) {
        let g = op.geometry
        switch op.kind {
        case .convFloat:
            conv2dFloat(floats(op.inputs[0]), preparedWeights: preparedWeights(op), optionalFloats(op.inputs[2]), g,
                        cols: scratchFloats(op, 0), floats(op.output))
            applyActivationPlanar(floats(op.output), batch: g.batch, channels: g.outChannels, spatial: g.outSpatial, activation(op))
        case .convDepthwiseFloat:
            depthwiseConvFloat(floats(op.inputs[0]), floats(op.inputs[1]), optionalFloats(op.inputs[2]), g, floats(op.output))
            applyActivationPlanar(floats(op.output), batch: g.batch, channels: g.outChannels, spatial: g.outSpatial, activation(op))
        case .gemmFloat:
            dense(floats(op.inputs[0]), rows: op.rows, preparedWeights: preparedWeights(op), n: op.count, k: op.k,
                  optionalFloats(op.inputs[2]), floats(op.output), packedX: scratchFloats(op, 0))
            applyActivationRows(floats(op.output), rows: op.rows, channels: op.count, activation(op))
        case .bconv:
            bconv2d(words(op.inputs[0]), words(op.inputs[1]), words: op.words, g, op.plan!, transform(op),
                    cols: scratch(op, 0).assumingMemoryBound(to: UInt64.self),
                    counts: scratch(op, 1).assumingMemoryBound(to: Int32.self), floats(op.output))
        case .bconvDepthwise:
            bconvDepthwise(words(op.inputs[0]), words(op.inputs[1]), words: op.words, g, op.plan!, transform(op), floats(op.output))
        case .bgemm:
            binaryDense(words(op.inputs[0]), rows: op.rows, words(op.inputs[1]), outFeatures: op.count, words: op.words,
                        k: op.k, transform(op), counts: scratch(op, 0).assumingMemoryBound(to: Int32.self), floats(op.output))
        case .bconvEmulated, .bconvDepthwiseEmulated:
            if op.kind == .bconvEmulated {
                conv2dFloat(floats(op.inputs[0]), preparedWeights: preparedWeights(op), nil, g, cols: scratchFloats(op, 0), floats(op.output))
            } else {
                depthwiseConvFloat(floats(op.inputs[0]), preparedWeights(op), nil, g, floats(op.output))
            }
            let t = transform(op), y = floats(op.output)
            for n in 0..<g.batch {
                for c in 0..<g.outChannels {
                    let row = y + (n * g.outChannels + c) * g.outSpatial
                    for p in 0..<g.outSpatial { row[p] = t.apply(row[p], channel: c) }
                }
            }
        case .bgemmEmulated:
            dense(floats(op.inputs[0]), rows: op.rows, preparedWeights: preparedWeights(op), n: op.count, k: op.k, nil,
                  floats(op.output), packedX: scratchFloats(op, 0))
            let t = transform(op), y = floats(op.output)
            for r in 0..<op.rows { for c in 0..<op.count { y[r * op.count + c] = t.apply(y[r * op.count + c], channel: c) } }
        case .signPackRows:
            signPackRows(floats(op.inputs[0]), rows: op.rows, length: op.k, threshold: op.threshold, words(op.output))
        case .signPackChannelsLast:
            signPackChannelsLast(floats(op.inputs[0]), batch: g.batch, channels: g.inChannels, spatial: op.count,
                                 threshold: op.threshold, words(op.output))
        case .signEmulated:
            let x = floats(op.inputs[0]), y = floats(op.output)
            for i in 0..<op.count { y[i] = x[i] < op.threshold ? -1 : 1 }
        case .channelAffine:
            channelAffine(floats(op.inputs[0]), batch: g.batch, channels: g.inChannels, spatial: op.count,
                          scale: floats(op.inputs[1]), bias: floats(op.inputs[2]), floats(op.output))
        case .prelu:
            prelu(floats(op.inputs[0]), batch: g.batch, channels: g.inChannels, spatial: op.count,
                  slope: floats(op.inputs[1]), slopeCount: model.tensors[op.inputs[1]].elementCount, floats(op.output))
        case .relu:
            relu(floats(op.inputs[0]), count: op.count, floats(op.output))
        case .clip:
            clip(floats(op.inputs[0]), count: op.count, lo: op.activation.clipMin, hi: op.activation.clipMax, floats(op.output))
        case .add:
            add(floats(op.inputs[0]), count: op.count, floats(op.inputs[1]), bCount: op.k, relu: op.activation.kind == .relu, floats(op.output))
        case .sub:
            sub(floats(op.inputs[0]), count: op.count, floats(op.inputs[1]), bCount: op.k, relu: op.activation.kind == .relu, floats(op.output))
        case .mul:
            mul(floats(op.inputs[0]), count: op.count, floats(op.inputs[1]), bCount: op.k, relu: op.activation.kind == .relu, floats(op.output))
        case .sign:
            sign(floats(op.inputs[0]), count: op.count, floats(op.output))
        case .matmul where op.packedWeightOffset >= 0:
            batchedMatMul(floats(op.inputs[0]), transposedB: preparedWeights(op), batch: op.outer, bPerBatch: op.axis == 1,
                          m: op.rows, k: op.k, n: op.count, floats(op.output))
        case .matmul:
            batchedMatMul(floats(op.inputs[0]), floats(op.inputs[1]), batch: op.outer, bPerBatch: op.axis == 1,
                          m: op.rows, k: op.k, n: op.count, transposedB: scratchFloats(op, 0), floats(op.output))
        case .pool:
            pool2d(floats(op.inputs[0]), planes: op.outer, inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW, op.pool, floats(op.output))
        case .globalPool:
            globalPool(floats(op.inputs[0]), planes: op.outer, spatial: g.inH * g.inW, max: op.pool.kind == .max, floats(op.output))
        case .reduceMax:
            reduceMax(floats(op.inputs[0]), outer: op.outer, axis: op.axis, inner: op.inner, offset: op.offset, floats(op.output))
        case .copy:
            floats(op.output).update(from: floats(op.inputs[0]), count: op.count)
        case .transpose:
            transpose(floats(op.inputs[0]), shape: op.shape, perm: op.perm, floats(op.output))
        case .logSoftmax:
            logSoftmax(floats(op.inputs[0]), outer: op.outer, axis: op.axis, inner: op.inner, floats(op.output))
        case .softmax:
            softmax(floats(op.inputs[0]), outer: op.outer, axis: op.axis, inner: op.inner, floats(op.output))
        }
    }
}
