/// MatMul with numpy semantics (1-D operands promoted, batch dimensions broadcast).
/// Float sums run over k in order; onnxruntime's MLAS kernels block and fuse differently, so
/// folded MatMuls match it to rounding, not bit for bit (quantizer subgraphs rarely use one).
extension Evaluator {
    static func matMul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.dtype == b.dtype else { throw EvalError.invalid("MatMul of \(a.dtype) by \(b.dtype)") }
        guard a.rank >= 1, b.rank >= 1 else { throw EvalError.invalid("MatMul of a scalar") }
        let sa = a.rank == 1 ? [1, a.shape[0]] : a.shape
        let sb = b.rank == 1 ? [b.shape[0], 1] : b.shape
        let m = sa[sa.count - 2], k = sa[sa.count - 1], k2 = sb[sb.count - 2], n = sb[sb.count - 1]
        guard k == k2 else { throw EvalError.invalid("MatMul shapes \(a.shape) and \(b.shape) do not match") }
        let batch = try Broadcast.shape([Array(sa.dropLast(2)), Array(sb.dropLast(2))])
        let batchCount = Tensor.elementCount(batch) ?? 0
        let (mn, o1) = m.multipliedReportingOverflow(by: n)
        let (total, o2) = mn.multipliedReportingOverflow(by: batchCount)
        let (work, o3) = total.multipliedReportingOverflow(by: max(k, 1))
        guard !o1, !o2, !o3, total <= maxElements, work <= 1 << 34 else { throw EvalError.invalid("MatMul \(a.shape) × \(b.shape) is too large to fold") }
        let ia = Broadcast.sourceIndices(Array(sa.dropLast(2)), to: batch)
        let ib = Broadcast.sourceIndices(Array(sb.dropLast(2)), to: batch)
        var shape = batch + [m, n]
        if a.rank == 1 { shape.remove(at: shape.count - 2) }
        if b.rank == 1 { shape.removeLast() }
        func product<T>(_ x: [T], _ y: [T], zero: T, _ madd: (T, T, T) -> T) -> [T] {
            var out = [T](repeating: zero, count: batchCount * m * n)
            for bt in 0..<batchCount {
                let xa = (ia?[bt] ?? bt) * m * k, yb = (ib?[bt] ?? bt) * k * n, o = bt * m * n
                for i in 0..<m {
                    for j in 0..<n {
                        var acc = zero
                        for p in 0..<k { acc = madd(acc, x[xa + i * k + p], y[yb + p * n + j]) }
                        out[o + i * n + j] = acc
                    }
                }
            }
            return out
        }
        let data: TensorData
        switch (a.data, b.data) {
        case (.float32(let x), .float32(let y)): data = .float32(product(x, y, zero: 0) { $0 + $1 * $2 })
        case (.float64(let x), .float64(let y)): data = .float64(product(x, y, zero: 0) { $0 + $1 * $2 })
        case (.int64(let x), .int64(let y)): data = .int64(product(x, y, zero: 0) { $0 &+ $1 &* $2 })
        case (.int32(let x), .int32(let y)): data = .int32(product(x, y, zero: 0) { $0 &+ $1 &* $2 })
        default: throw EvalError.invalid("MatMul of \(a.dtype) is not supported")
        }
        return Tensor(shape: shape, data: data)
    }
}
