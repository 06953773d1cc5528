/// A Gemm (transA = 0) or MatMul by a constant, read and checked:
/// y[..., n] = sum_k x[..., k] W[n, k] + bias[n].
struct DenseLayer {
    /// Weights [outputs, k], Gemm's alpha applied.
    var operands: LayerOperands
    var k: Int
}

extension Emitter {
    func readDense(_ i: Int) throws -> DenseLayer {
        let n = g.nodes[i]
        guard let x = n.input(0), let wName = n.input(1) else { throw LowerError.unsupportedForm(node: n.label, detail: "missing inputs") }
        guard let wt = constant(wName), let raw = wt.floats, wt.rank == 2 else {
            throw LowerError.unsupportedOp(node: n.label, detail: "\(n.opType) of two run-time tensors (or a weight that is not a 2-D constant) has no EdgePack kernel")
        }
        let xs = try shape(x)
        var weight: [Float]
        var nOut: Int, k: Int
        var bias: [Float]? = nil
        if n.opType == "Gemm" {
            guard try n.int("transA", default: 0) == 0 else { throw LowerError.unsupportedForm(node: n.label, detail: "transA = 1") }
            let transB = try n.int("transB", default: 0) != 0
            (nOut, k) = transB ? (wt.shape[0], wt.shape[1]) : (wt.shape[1], wt.shape[0])
            weight = transB ? raw : transposed(raw, rows: wt.shape[0], cols: wt.shape[1])
            let alpha = try n.float("alpha") ?? 1
            if alpha != 1 { weight = weight.map { $0 * alpha } }
            if let cName = n.input(2) {
                guard let c = constant(cName)?.floats, c.count == nOut || c.count == 1 else {
                    throw LowerError.unsupportedForm(node: n.label, detail: "C must be a constant of \(nOut) values")
                }
                let beta = try n.float("beta") ?? 1
                bias = (c.count == 1 ? [Float](repeating: c[0], count: nOut) : c).map { beta == 1 ? $0 : $0 * beta }
            }
        } else {
            (k, nOut) = (wt.shape[0], wt.shape[1])
            weight = transposed(raw, rows: k, cols: nOut)
        }
        guard xs.last == k else { throw LowerError.unsupportedForm(node: n.label, detail: "input \(xs) does not end in \(k)") }
        let operands = LayerOperands(node: n, input: x, inputShape: xs, weightName: wName, weights: weight, outputs: nOut, bias: bias)
        return DenseLayer(operands: operands, k: k)
    }

    func transposed(_ v: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: v.count)
        for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = v[r * cols + c] } }
        return out
    }
}
