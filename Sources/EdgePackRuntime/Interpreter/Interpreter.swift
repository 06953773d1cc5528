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
    let ops: [PreparedOp]
    let tensorOffsets: [Int]
    let arena: UnsafeMutableRawPointer
    /// Weights prepared once for the float kernels (PackedWeights.swift); nil when none.
    let packedWeights: UnsafeMutableRawPointer?
    /// Bytes of `packedWeights`: persistent memory beside the arena.
    public let packedWeightBytes: Int
    /// Per-operator time of the last `invoke` when `profiling` is set.
    public var profiling = false
    public private(set) var operatorNanoseconds: [UInt64]
    /// The threads large layers are split across (`threads` in init; 1 starts none).
    let workers: WorkerPool
    public var threads: Int { workers.threads }
    /// Layers run split across threads since the interpreter was made.
    public var splitRuns: Int { workers.splitRuns }

    /// Largest activation arena a model may ask for (1 GiB): a corrupted shape must not turn
    /// into an allocation failure.
    public static let arenaLimit = 1 << 30

    /// `threads`: 1 to WorkerPool.limit; outputs are bit-identical for every count. Layers with
    /// less work than `minimumParallelWork` (default WorkerPool.defaultMinimumWork, resolved here
    /// rather than in callers' default arguments) run on one thread; tests pass 0 to split every layer.
    public init(model: ModelFile, mode: ExecutionMode = .binary, threads: Int = 1,
                minimumParallelWork: Int? = nil) throws(RuntimeError) {
        self.model = model
        self.mode = mode
        self.workers = try WorkerPool(threads: threads, minimumWork: minimumParallelWork ?? WorkerPool.defaultMinimumWork)
        for i in model.inputs where model.tensors[i].dtype != .float32 {
            throw RuntimeError("graph input '\(model.tensors[i].name)' is \(model.tensors[i].dtype.name); inputs must be float32")
        }
        // Bounding activations first keeps every size computed while planning far from overflow.
        for t in model.tensors where !t.isConstant && t.byteCount > Interpreter.arenaLimit {
            throw RuntimeError("tensor '\(t.name)' \(t.shape) needs \(t.byteCount) bytes, over the \(Interpreter.arenaLimit)-byte limit")
        }
        var prepared: [PreparedOp] = []
        prepared.reserveCapacity(model.operators.count)
        for (index, op) in model.operators.enumerated() {
            guard let opcode = op.opcode else {
                throw RuntimeError("operator \(index) ('\(op.name)'): opcode \(op.code) is not an operator this runtime knows")
            }
            prepared.append(try opcode.prepare(OpContext(model: model, op: op, opcode: opcode, index: index, workers: workers)))
        }
        if mode == .floatReference { prepared = prepared.map { floatReference($0, model) } }
        (self.packedWeights, self.packedWeightBytes) = try Interpreter.packWeights(&prepared, model: model)

        let (plan, owners) = Interpreter.planMemory(prepared, model: model, mode: mode)
        guard plan.size <= Interpreter.arenaLimit else {
            packedWeights?.deallocate()
            throw RuntimeError("the model needs \(plan.size) bytes of activation memory, over the \(Interpreter.arenaLimit)-byte limit")
        }
        self.arenaPlan = plan
        var offsets = [Int](repeating: -1, count: model.tensors.count)
        for k in prepared.indices { prepared[k].scratchOffsets = [Int](repeating: 0, count: prepared[k].scratchSizes.count) }
        for (r, owner) in owners.enumerated() {
            switch owner {
            case .tensor(let t): offsets[t] = plan.offsets[r]
            case .scratch(let k, let s): prepared[k].scratchOffsets[s] = plan.offsets[r]
            }
        }
        let arena = UnsafeMutableRawPointer.allocate(byteCount: max(plan.size, arenaAlignment), alignment: arenaAlignment)
        arena.initializeMemory(as: UInt8.self, repeating: 0, count: max(plan.size, arenaAlignment))
        for k in prepared.indices {
            Interpreter.resolve(&prepared[k], arena: arena, tensorOffsets: offsets, model: model, packedWeights: packedWeights)
        }
        self.arena = arena
        self.tensorOffsets = offsets
        self.ops = prepared
        self.operatorNanoseconds = [UInt64](repeating: 0, count: prepared.count)
    }

    deinit { arena.deallocate(); packedWeights?.deallocate() }

    /// One arena request per activation (alive from its first to its last use; graph inputs
    /// from the start, outputs to the end) and per scratch slot (alive during its operator).
    static func planMemory(_ ops: [PreparedOp], model: ModelFile, mode: ExecutionMode) -> (ArenaPlan, [ArenaOwner]) {
        let n = model.tensors.count, end = ops.count
        var first = [Int](repeating: Int.max, count: n), last = [Int](repeating: -1, count: n)
        for i in model.inputs { first[i] = -1; last[i] = max(last[i], -1) }
        for (k, op) in ops.enumerated() {
            for i in op.inputs where i >= 0 && !model.tensors[i].isConstant { last[i] = max(last[i], k) }
            for o in [op.output, op.zeroMaskOutput] where o >= 0 { first[o] = min(first[o], k); last[o] = max(last[o], k) }
        }
        for o in model.outputs { last[o] = end }
        var requests: [ArenaRequest] = []
        var owners: [ArenaOwner] = []
        for t in 0..<n where !model.tensors[t].isConstant && first[t] != Int.max {
            requests.append(ArenaRequest(size: activationBytes(model.tensors[t], mode), first: first[t], last: last[t]))
            owners.append(.tensor(t))
        }
        for (k, op) in ops.enumerated() {
            for (s, size) in op.scratchSizes.enumerated() {
                requests.append(ArenaRequest(size: size, first: k, last: k))
                owners.append(.scratch(op: k, slot: s))
            }
        }
        return (planArena(requests), owners)
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
        return body(UnsafeMutableBufferPointer(start: write(t), count: model.tensors[t].elementCount))
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
        return Array(UnsafeBufferPointer(start: read(t), count: model.tensors[t].elementCount))
    }

    // MARK: - Execution

    public func invoke() {
        ops.withUnsafeBufferPointer { ops in
            for k in ops.indices {
                let start = profiling ? ep_monotonic_ns() : 0
                execute(ops[k])
                if profiling { operatorNanoseconds[k] = ep_monotonic_ns() - start }
            }
        }
    }
}

/// Arena bytes of an activation: its stored size, or 4 bytes per element for a BIT tensor that
/// the float-reference mode keeps as float ±1.
func activationBytes(_ t: TensorDesc, _ mode: ExecutionMode) -> Int {
    mode == .floatReference && t.dtype == .bit ? t.elementCount * 4 : t.byteCount
}
