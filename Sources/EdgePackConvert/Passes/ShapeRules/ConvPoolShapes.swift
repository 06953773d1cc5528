/// Convolution, dense layers, pooling and reductions.
enum ConvPoolShapes {
    static func register(_ r: inout [String: ShapeInference.Rule]) {
        r["Conv"] = conv
        r["MaxPool"] = { c in try pool(c, isMax: true) }
        r["AveragePool"] = { c in try pool(c, isMax: false) }
        r["GlobalAveragePool"] = global
        r["GlobalMaxPool"] = global
        r["Gemm"] = gemm
        r["MatMul"] = matMul
        for op in ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare"] {
            r[op] = reduce
        }
    }

    /// Spatial geometry shared by Conv and pooling: explicit pads or auto_pad.
    struct Window {
        var kernel: [Int]
        var strides: [Int]
        var dilations: [Int]
        var pads: [Int]      // begins then ends, as ONNX
        var autoPad: String

        init(_ c: ShapeContext, spatial: Int, kernel: [Int]) throws {
            let n = c.node
            self.kernel = kernel
            strides = try (n.ints("strides") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
            dilations = try (n.ints("dilations") ?? [Int64](repeating: 1, count: spatial)).map { Int(clamping: $0) }
            pads = try (n.ints("pads") ?? [Int64](repeating: 0, count: 2 * spatial)).map { Int(clamping: $0) }
            autoPad = try n.string("auto_pad") ?? "NOTSET"
            guard kernel.count == spatial, strides.count == spatial, dilations.count == spatial, pads.count == 2 * spatial else {
                throw c.fail("kernel_shape/strides/dilations/pads do not match \(spatial) spatial dimensions")
            }
            let limit = 1 << 24
            guard kernel.allSatisfy({ $0 >= 1 && $0 <= limit }), strides.allSatisfy({ $0 >= 1 && $0 <= limit }),
                  dilations.allSatisfy({ $0 >= 1 && $0 <= limit }), pads.allSatisfy({ $0 >= 0 && $0 <= limit }) else {
                throw c.fail("kernel \(kernel), strides \(strides), dilations \(dilations), pads \(pads) must be positive")
            }
        }

        func output(_ input: [Int], ceilMode: Bool, _ c: ShapeContext) throws -> [Int] {
            try input.indices.map { i in
                let extent = (kernel[i] - 1) * dilations[i] + 1
                switch autoPad {
                case "SAME_UPPER", "SAME_LOWER": return (input[i] + strides[i] - 1) / strides[i]
                case "VALID":
                    guard input[i] >= extent else { throw c.fail("window \(extent) exceeds input \(input[i])") }
                    return (input[i] - extent) / strides[i] + 1
                case "NOTSET":
                    let span = input[i] + pads[i] + pads[i + input.count] - extent
                    guard span >= 0 else { throw c.fail("window \(extent) exceeds padded input \(input[i])") }
                    var out = (ceilMode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
                    // With ceil_mode the last window must start inside the input or left padding.
                    if ceilMode && (out - 1) * strides[i] >= input[i] + pads[i] { out -= 1 }
                    return out
                default:
                    throw c.fail("unknown auto_pad '\(autoPad)'")
                }
            }
        }
    }

    static func conv(_ c: ShapeContext) throws -> [ValueInfo] {
        let x = try c.shape(0), w = try c.shape(1)
        guard x.count >= 3, w.count == x.count else { throw c.fail("input \(x) and weight \(w) ranks do not fit a convolution") }
        let group = Int(clamping: try c.node.int("group", default: 1))
        guard group >= 1, group <= 1 << 24, x[1] == w[1] * group, w[0] % group == 0 else {
            throw c.fail("input channels \(x[1]), weight \(w), group \(group) do not match")
        }
        if c.has(2) { guard try c.shape(2) == [w[0]] else { throw c.fail("bias shape \(try c.shape(2)), expected [\(w[0])]") } }
        let kernel = try c.node.ints("kernel_shape").map { $0.map { Int(clamping: $0) } } ?? Array(w[2...])
        guard kernel == Array(w[2...]) else { throw c.fail("kernel_shape \(kernel) differs from weight \(w)") }
        let win = try Window(c, spatial: x.count - 2, kernel: kernel)
        let spatial = try win.output(Array(x[2...]), ceilMode: false, c)
        return [ValueInfo(dtype: try c.dtype(0), shape: [x[0], w[0]] + spatial)]
    }

    static func pool(_ c: ShapeContext, isMax: Bool) throws -> [ValueInfo] {
        let x = try c.shape(0)
        guard x.count >= 3 else { throw c.fail("input rank \(x.count) < 3") }
        guard let k = try c.node.ints("kernel_shape") else { throw c.fail("kernel_shape is missing") }
        let win = try Window(c, spatial: x.count - 2, kernel: k.map { Int(clamping: $0) })
        let ceilMode = try c.node.int("ceil_mode", default: 0) != 0
        let out = [ValueInfo(dtype: try c.dtype(0), shape: Array(x[..<2]) + (try win.output(Array(x[2...]), ceilMode: ceilMode, c)))]
        if isMax && c.node.outputs.count > 1 { throw c.fail("MaxPool's Indices output is not supported") }
        return out
    }

    static func global(_ c: ShapeContext) throws -> [ValueInfo] {
        let x = try c.shape(0)
        guard x.count >= 3 else { throw c.fail("input rank \(x.count) < 3") }
        return [ValueInfo(dtype: try c.dtype(0), shape: Array(x[..<2]) + [Int](repeating: 1, count: x.count - 2))]
    }

    static func gemm(_ c: ShapeContext) throws -> [ValueInfo] {
        let a = try c.shape(0), b = try c.shape(1)
        guard a.count == 2, b.count == 2 else { throw c.fail("Gemm needs 2-D inputs, got \(a) and \(b)") }
        let ta = try c.node.int("transA", default: 0) != 0, tb = try c.node.int("transB", default: 0) != 0
        let (m, k) = ta ? (a[1], a[0]) : (a[0], a[1])
        let (k2, n) = tb ? (b[1], b[0]) : (b[0], b[1])
        guard k == k2 else { throw c.fail("Gemm inner dimensions \(k) and \(k2) differ (A \(a), B \(b))") }
        if c.has(2) {
            let bias = try c.shape(2)
            guard try Broadcast.shape([bias, [m, n]]) == [m, n] else { throw c.fail("C \(bias) does not broadcast to [\(m), \(n)]") }
        }
        return [ValueInfo(dtype: try c.dtype(0), shape: [m, n])]
    }

    static func matMul(_ c: ShapeContext) throws -> [ValueInfo] {
        let a = try c.shape(0), b = try c.shape(1)
        guard !a.isEmpty, !b.isEmpty else { throw c.fail("MatMul of a scalar") }
        let sa = a.count == 1 ? [1, a[0]] : a, sb = b.count == 1 ? [b[0], 1] : b
        guard sa[sa.count - 1] == sb[sb.count - 2] else { throw c.fail("MatMul shapes \(a) and \(b) do not match") }
        var out = try Broadcast.shape([Array(sa.dropLast(2)), Array(sb.dropLast(2))]) + [sa[sa.count - 2], sb[sb.count - 1]]
        if a.count == 1 { out.remove(at: out.count - 2) }
        if b.count == 1 { out.removeLast() }
        return [ValueInfo(dtype: try c.dtype(0), shape: out)]
    }

    static func reduce(_ c: ShapeContext) throws -> [ValueInfo] {
        let x = try c.shape(0)
        let keep = try c.node.int("keepdims", default: 1) != 0
        let spec = try c.axes(input: 1) ?? []
        let noop = try c.node.int("noop_with_empty_axes", default: 0) != 0
        if spec.isEmpty && noop { return try c.same() }
        var axes = Set<Int>()
        for a in spec { axes.insert(try normalizedAxis(a, rank: x.count)) }
        if spec.isEmpty { axes = Set(0..<x.count) }
        var out: [Int] = []
        for k in 0..<x.count {
            if !axes.contains(k) { out.append(x[k]) } else if keep { out.append(1) }
        }
        return [ValueInfo(dtype: try c.dtype(0), shape: out)]
    }
}
