import EdgePackFormat

/// Shape and type checks shared by the operator preparers; each failure names the operator.
struct OpContext {
    let model: ModelFile
    let op: OperatorDesc
    let opcode: OpCode
    let index: Int
    /// The interpreter's threads: a layer split into parts plans scratch for each part.
    let workers: WorkerPool

    func fail(_ what: String) -> RuntimeError {
        RuntimeError("operator \(index) (\(opcode.name) '\(op.name)'): \(what)")
    }

    /// The operator's options, decoded and range-checked; a table of another operator's type,
    /// or a missing required table, is an error.
    func options<O: OperatorOptions>(_ type: O.Type) throws(RuntimeError) -> O {
        guard let table = op.options else {
            guard let absent = O.whenAbsent else { throw fail("options are missing") }
            return absent
        }
        guard op.optionsType == O.tableType else {
            throw fail("options type \(op.optionsType) does not belong to this operator (expects \(O.tableType))")
        }
        do { return try O(decoding: table) } catch { throw fail(error.message) }
    }

    func tensor(_ i: Int) -> TensorDesc { model.tensors[i] }

    /// The input at position `slot`, which must exist (not -1) and have `dtype`.
    func input(_ slot: Int, _ dtype: DType, _ what: String) throws(RuntimeError) -> Int {
        guard slot < op.inputs.count, op.inputs[slot] >= 0 else { throw fail("missing \(what) input") }
        let t = op.inputs[slot]
        guard model.tensors[t].dtype == dtype else {
            throw fail("\(what) '\(model.tensors[t].name)' is \(model.tensors[t].dtype.name), expected \(dtype.name)")
        }
        return t
    }

    func optionalInput(_ slot: Int, _ dtype: DType, _ what: String) throws(RuntimeError) -> Int? {
        guard slot < op.inputs.count, op.inputs[slot] >= 0 else { return nil }
        return try input(slot, dtype, what)
    }

    func constant(_ slot: Int, _ dtype: DType, _ what: String) throws(RuntimeError) -> Int {
        let t = try input(slot, dtype, what)
        guard model.tensors[t].isConstant else { throw fail("\(what) '\(model.tensors[t].name)' must be a constant") }
        return t
    }

    func output(_ dtype: DType, allowed: Int = 1) throws(RuntimeError) -> Int {
        guard op.outputs.count >= 1 && op.outputs.count <= allowed else {
            throw fail(allowed == 1 ? "expects exactly one output, has \(op.outputs.count)" : "expects 1 to \(allowed) outputs, has \(op.outputs.count)")
        }
        return try outputTensor(0, dtype)
    }

    func outputTensor(_ slot: Int, _ dtype: DType) throws(RuntimeError) -> Int {
        let t = op.outputs[slot]
        guard model.tensors[t].dtype == dtype else {
            throw fail("output '\(model.tensors[t].name)' is \(model.tensors[t].dtype.name), expected \(dtype.name)")
        }
        return t
    }

    func expectShape(_ t: Int, _ shape: [Int], _ what: String) throws(RuntimeError) {
        guard model.tensors[t].shape == shape else {
            throw fail("\(what) '\(model.tensors[t].name)' has shape \(model.tensors[t].shape), expected \(shape)")
        }
    }

    func expectCount(_ t: Int, _ count: Int, _ what: String) throws(RuntimeError) {
        guard model.tensors[t].elementCount == count else {
            throw fail("\(what) '\(model.tensors[t].name)' has \(model.tensors[t].elementCount) values, expected \(count)")
        }
    }

    /// A per-channel vector (scale, bias, slope): count == channels, or 1 when `allowScalar`.
    func expectChannelVector(_ t: Int, _ channels: Int, _ what: String, allowScalar: Bool = false) throws(RuntimeError) {
        let n = model.tensors[t].elementCount
        guard n == channels || (allowScalar && n == 1) else {
            throw fail("\(what) '\(model.tensors[t].name)' has \(n) values for \(channels) channels")
        }
    }
}

/// Output size of a sliding window; nil when the window does not fit.
func slidingOutput(_ input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int, dilation: Int) -> Int? {
    let span = dilation * (kernel - 1) + 1
    let padded = input + padBefore + padAfter
    guard padded >= span else { return nil }
    return (padded - span) / stride + 1
}

/// Channel dimension of [N, C, ...] data: (batch, channels, spatial).
func channelLayout(_ shape: [Int]) -> (Int, Int, Int) {
    if shape.count == 0 { return (1, 1, 1) }
    if shape.count == 1 { return (1, shape[0], 1) }
    return (shape[0], shape[1], shape[2...].reduce(1, *))
}

/// Normalizes a possibly negative axis; nil outside the rank.
func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
    let a = axis < 0 ? axis + rank : axis
    return a >= 0 && a < rank ? a : nil
}

extension OpContext {
    /// A float input and an output of the same shape (element-wise operators).
    func sameShapeFloat() throws(RuntimeError) -> (x: Int, out: Int) {
        let x = try input(0, .float32, "input")
        let out = try output(.float32)
        try expectShape(out, tensor(x).shape, "output")
        return (x, out)
    }

    /// `inputs` plus the PReLU slope at `slot` when the fused activation is PReLU.
    func withSlope(_ inputs: [Int], _ a: FusedActivation, slot: Int, channels: Int) throws(RuntimeError) -> [Int] {
        guard a.kind == .prelu else { return inputs }
        let slope = try constant(slot, .float32, "PReLU slope")
        try expectChannelVector(slope, channels, "PReLU slope", allowScalar: true)
        return inputs + [slope]
    }

    /// A binary layer's output-transform operands (scale and bias per output channel, slots 2-3).
    func outputTransformInputs(_ channels: Int) throws(RuntimeError) -> (scale: Int, bias: Int) {
        let scale = try constant(2, .float32, "scale")
        let bias = try constant(3, .float32, "bias")
        try expectChannelVector(scale, channels, "scale")
        try expectChannelVector(bias, channels, "bias")
        return (scale, bias)
    }
}
