import EdgePackFormat

// The float-reference mode: the same model with every binary layer run by the float kernels on
// ±1 values — the baseline binary is measured against (`bench`), and a check that both paths
// agree. Each binary kernel is mapped here, once, when an interpreter is built in that mode;
// the binary operators know nothing of it. SignPack writes float ±1 in its input's layout, so
// BIT activations take 4 bytes per element in this mode (activationBytes).

func floatReference(_ op: PreparedOp, _ model: ModelFile) -> PreparedOp {
    var r = op
    switch op.kernel {
    case .binaryConv(let k):
        let w = unpackConvWeights(model.constantData(op.inputs[1]), k.geometry, words: k.words, depthwise: false)
        r.kernel = .referenceBinaryConv(ReferenceBinaryConvOp(geometry: k.geometry, activation: k.activation, depthwise: false,
                                                              signThreshold: k.signOutput?.threshold))
        r.scratchSizes = [conv2dFloatBlockBytes(k.geometry)]
        r.weights = convWeightPlan(k.geometry, unpacked: w)
    case .binaryDepthwiseConv(let k):
        let w = unpackConvWeights(model.constantData(op.inputs[1]), k.geometry, words: k.words, depthwise: true)
        r.kernel = .referenceBinaryConv(ReferenceBinaryConvOp(geometry: k.geometry, activation: k.activation, depthwise: true,
                                                              signThreshold: nil))
        r.scratchSizes = []
        r.weights = WeightPlan(layout: .asStored, count: w.count, unpacked: w)
    case .binaryDense(let k):
        let packed = model.constantData(op.inputs[1]).bindMemory(to: UInt64.self)
        var w = [Float](repeating: 0, count: k.n * k.k)
        for n in 0..<k.n {
            for i in 0..<k.k { w[n * k.k + i] = bitSign(packed[n * k.words + i / 64], i % 64) }
        }
        r.kernel = .referenceBinaryDense(ReferenceBinaryDenseOp(rows: k.rows, n: k.n, k: k.k, activation: k.activation,
                                                                signThreshold: k.signOutput?.threshold))
        r.scratchSizes = [denseInputBytes(rows: k.rows, n: k.n, k: k.k)]
        r.weights = denseWeightPlan(rows: k.rows, n: k.n, k: k.k, unpacked: w)
    case .signPack(let k):
        r.kernel = .referenceSign(ReferenceSignOp(count: model.tensors[op.inputs[0]].elementCount, threshold: k.threshold,
                                                  zeroAtThreshold: op.zeroMaskOutput >= 0))
    default:
        break
    }
    return r
}

/// -1 for a set bit, +1 for a clear one (BIT tensors: 1 = negative).
@inline(__always) func bitSign(_ word: UInt64, _ bit: Int) -> Float { (word >> UInt64(bit)) & 1 == 1 ? -1 : 1 }

/// Packed conv weights as float ±1 in the float kernels' layouts: [Cout, C, KH, KW], or
/// [C, 1, KH, KW] for depthwise.
func unpackConvWeights(_ bytes: UnsafeRawBufferPointer, _ g: ConvGeometry, words: Int, depthwise: Bool) -> [Float] {
    let packed = bytes.bindMemory(to: UInt64.self), taps = g.taps, cin = g.inChannels
    var f = [Float](repeating: 0, count: g.outChannels * (depthwise ? 1 : cin) * taps)
    for oc in 0..<g.outChannels {
        for t in 0..<taps {
            if depthwise {
                f[oc * taps + t] = bitSign(packed[t * words + oc / 64], oc % 64)
            } else {
                for ci in 0..<cin { f[(oc * cin + ci) * taps + t] = bitSign(packed[(oc * taps + t) * words + ci / 64], ci % 64) }
            }
        }
    }
    return f
}

/// A binary convolution on the float kernels: ±1 input and weights, then the output transform;
/// with a bit-packed output, then the folded chain's sign as ±1 in the float layout (planar).
struct ReferenceBinaryConvOp {
    var geometry: ConvGeometry
    var activation: FusedActivation
    var depthwise: Bool
    var signThreshold: Float?

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let g = geometry, y = op.write()
        if depthwise {
            depthwiseConvFloat(op.read(0), op.preparedWeights(), nil, g, weightsFinite: true, y)  // ±1
        } else {
            conv2dFloat(op.read(0), preparedWeights: op.preparedWeights(), nil, g,
                        cols: op.scratch(0, as: Float.self), y)
        }
        for n in 0..<g.batch {
            for c in 0..<g.outChannels {
                referenceTransform(y + (n * g.outChannels + c) * g.outSpatial, count: g.outSpatial, stride: 1, channel: c,
                                   op, ip, activation, signThreshold)
            }
        }
    }
}

/// A binary dense layer on the float kernels.
struct ReferenceBinaryDenseOp {
    var rows: Int
    var n: Int
    var k: Int
    var activation: FusedActivation
    var signThreshold: Float?

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let y = op.write()
        dense(op.read(0), rows: rows, preparedWeights: op.preparedWeights(), n: n, k: k, nil,
              y, packedX: op.scratch(0, as: Float.self))
        for c in 0..<n { referenceTransform(y + c, count: rows, stride: n, channel: c, op, ip, activation, signThreshold) }
    }
}

/// One channel's float dot products to the layer's output: the output transform, or the sign
/// chain's ±1 when the layer has a bit-packed output.
@inline(__always)
func referenceTransform(_ y: UnsafeMutablePointer<Float>, count: Int, stride: Int, channel c: Int, _ op: PreparedOp,
                        _ ip: Interpreter, _ activation: FusedActivation, _ signThreshold: Float?) {
    if let signThreshold {
        let chain = ip.signChain(op, activation, threshold: signThreshold)
        for i in 0..<count { y[i * stride] = chain.isNegative(y[i * stride], channel: c) ? -1 : 1 }
    } else {
        let t = ip.transform(op, activation)
        for i in 0..<count { y[i * stride] = t.apply(y[i * stride], channel: c) }
    }
}

/// SignPack's float twin: ±1 in the input's layout (x < threshold gives -1); 0 at the
/// threshold when the SignPack writes a zero mask (its readers then drop those terms).
struct ReferenceSignOp {
    var count: Int
    var threshold: Float
    var zeroAtThreshold: Bool

    func run(_ op: PreparedOp, _ ip: Interpreter) {
        let x = op.read(0), y = op.write()
        for i in 0..<count { y[i] = x[i] < threshold ? -1 : (zeroAtThreshold && x[i] == threshold ? 0 : 1) }
    }
}
