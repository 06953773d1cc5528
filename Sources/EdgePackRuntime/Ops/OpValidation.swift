import EdgePackFormat

/// Shape and type checks shared by the operator preparers; each failure names the operator.
struct OpContext {
    let model: ModelFile
    let op: OperatorDesc
    let index: Int

    func fail(_ what: String) -> RuntimeError {
        RuntimeError("operator \(index) (\(op.opcode.name) '\(op.name)'): \(what)")
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

    func output(_ dtype: DType) throws(RuntimeError) -> Int {
        guard op.outputs.count == 1 else { throw fail("expects exactly one output, has \(op.outputs.count)") }
        let t = op.outputs[0]
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
