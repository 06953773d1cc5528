/// General transpose: output dimension d is input dimension perm[d]. Rank <= 8 (the format's
/// limit), so the index arithmetic lives in SIMD8 values rather than per-call arrays.
public func transpose(_ x: UnsafePointer<Float>, shape: [Int], perm: [Int], _ y: UnsafeMutablePointer<Float>) {
    let rank = shape.count
    var inStrides = SIMD8<Int>(repeating: 1)
    if rank > 1 { for d in stride(from: rank - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * shape[d + 1] } }
    var outShape = SIMD8<Int>(repeating: 1)
    var strides = SIMD8<Int>()
    var count = 1
    for d in 0..<rank { outShape[d] = shape[perm[d]]; strides[d] = inStrides[perm[d]]; count *= shape[d] }
    var index = SIMD8<Int>()
    var src = 0
    for i in 0..<count {
        y[i] = x[src]
        var d = rank - 1
        while d >= 0 {
            index[d] += 1
            src += strides[d]
            if index[d] < outShape[d] { break }
            src -= strides[d] * outShape[d]
            index[d] = 0
            d -= 1
        }
    }
}
