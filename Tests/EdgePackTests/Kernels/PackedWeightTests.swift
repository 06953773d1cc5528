import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Testing

// Float weights packed once when the interpreter is prepared: convolutions and dense layers
// large enough for the 8-wide panel kernel, and MatMul by a constant, against the float64
// reference; the kernels' prepared-weight entry points against the same reference; and the
// memory accounting (packed bytes on their own, no weight
// scratch left in the arena).

@Suite("Float weights packed at load")
struct PackedWeightTests {
    /// Bytes a 64-byte-aligned buffer of `floats` takes.
    func aligned(_ floats: Int) -> Int { (floats * 4 + 63) / 64 * 64 }

    @Test func panelConvolutionsWithActivations() throws {
        var rng = SplitMix64(seed: testSeed("packed-conv"))
        for trial in 0..<12 {
            var s = Conv2DSpec()
            s.n = 1 + Int(rng.next() % 2)
            s.groups = 1 + Int(rng.next() % 3)
            s.c = s.groups * (s.groups > 1 ? 2 + Int(rng.next() % 3) : 1 + Int(rng.next() % 4))   // not depthwise
            s.cout = s.groups * (8 + Int(rng.next() % 13))      // 8...20 per group: the panel kernel
            s.kh = 1 + Int(rng.next() % 3); s.kw = 1 + Int(rng.next() % 3)
            s.sh = 1 + Int(rng.next() % 2); s.sw = 1 + Int(rng.next() % 2)
            s.pt = Int(rng.next() % UInt64(s.kh)); s.pb = Int(rng.next() % UInt64(s.kh))
            s.pl = Int(rng.next() % UInt64(s.kw)); s.pr = Int(rng.next() % UInt64(s.kw))
            s.h = s.kh + 5 + Int(rng.next() % 6); s.w = s.kw + 5 + Int(rng.next() % 6)
            let act = [Activation.none, .relu, .clip, .prelu][trial % 4]
            let x = rng.floats(s.n * s.c * s.h * s.w)
            let w = rng.floats(s.cout * (s.c / s.groups) * s.kh * s.kw)
            let bias = rng.floats(s.cout), slope = rng.floats(s.cout, 0, 0.5)

            let b = ModelBuilder(name: "packed-conv")
            let xt = b.addInput("x", shape: [s.n, s.c, s.h, s.w])
            var inputs = [xt, b.addConstant("w", shape: [s.cout, s.c / s.groups, s.kh, s.kw], floats: w),
                          b.addConstant("b", shape: [s.cout], floats: bias)]
            if act == .prelu { inputs.append(b.addConstant("slope", shape: [s.cout], floats: slope)) }
            let y = b.addActivation("y", shape: [s.n, s.cout, s.oh, s.ow])
            var p = ConvParams()
            p.strideH = s.sh; p.strideW = s.sw; p.padTop = s.pt; p.padLeft = s.pl; p.padBottom = s.pb; p.padRight = s.pr
            p.groups = s.groups
            p.activation = FusedActivation(kind: act, clipMin: -0.3, clipMax: 0.4)
            b.addOperator(.conv2d, inputs: inputs, outputs: [y], options: .conv(p))
            b.markOutput(y)

            var expected = referenceConv2D(x, w, bias, s)
            let plane = s.oh * s.ow
            for i in 0..<expected.count {
                let v = expected[i], c = (i / plane) % s.cout
                switch act {
                case .none: break
                case .relu: expected[i] = max(v, 0)
                case .clip: expected[i] = min(max(v, Double(Float(-0.3))), Double(Float(0.4)))
                case .prelu: expected[i] = v < 0 ? v * Double(slope[c]) : v
                }
            }
            try b.serialize().withUnsafeBytes { raw in
                let interp = try Interpreter(model: try ModelFile(bytes: raw))
                try interp.setInput(0, x)
                interp.invoke()
                let err = maxRelativeError(interp.output(0), expected)
                #expect(err < floatTolerance, "trial \(trial) \(s) \(act): error \(err)")
                // Panels: per group, output channels rounded up to 8, times cin/groups · taps.
                let k = s.c / s.groups * s.kh * s.kw, coutG = s.cout / s.groups
                #expect(interp.packedWeightBytes == aligned(s.groups * ((coutG + 7) / 8 * 8) * k))
                // The arena holds input, output and the columns of one group, no weights.
                let pixels = s.oh * s.ow
                let columns = aligned((pixels + 7) / 8 * 8 * k)
                #expect(interp.arenaPlan.unshared == aligned(x.count) + aligned(expected.count) + columns)
            }
        }
    }

    @Test func panelDenseLayers() throws {
        var rng = SplitMix64(seed: testSeed("packed-dense"))
        for (rows, k, n) in [(8, 5, 8), (9, 33, 11), (16, 64, 30), (12, 7, 100)] {
            let x = rng.floats(rows * k), w = rng.floats(n * k), bias = rng.floats(n)
            let b = ModelBuilder(name: "packed-dense")
            let xt = b.addInput("x", shape: [rows, k])
            let y = b.addActivation("y", shape: [rows, n])
            b.addOperator(.gemm, inputs: [xt, b.addConstant("w", shape: [n, k], floats: w), b.addConstant("b", shape: [n], floats: bias)],
                          outputs: [y], options: .gemm(FusedActivation(kind: .relu)))
            b.markOutput(y)
            let expected = referenceGemm(x, rows: rows, k: k, w, n: n, bias).map { max($0, 0) }
            try b.serialize().withUnsafeBytes { raw in
                let interp = try Interpreter(model: try ModelFile(bytes: raw))
                try interp.setInput(0, x)
                interp.invoke()
                #expect(maxRelativeError(interp.output(0), expected) < floatTolerance, "\(rows)x\(k)x\(n)")
                #expect(interp.packedWeightBytes == aligned((n + 7) / 8 * 8 * k))
                #expect(interp.arenaPlan.unshared == aligned(rows * k) + aligned(rows * n) + aligned((rows + 7) / 8 * 8 * k))
            }
        }
        // Batch 1 stays a matrix-vector product on the weights as stored: nothing packed.
        let b = ModelBuilder(name: "dense-batch1")
        let xt = b.addInput("x", shape: [1, 16])
        let y = b.addActivation("y", shape: [1, 32])
        b.addOperator(.gemm, inputs: [xt, b.addConstant("w", shape: [32, 16], floats: rng.floats(512)), -1],
                      outputs: [y], options: .gemm(FusedActivation()))
        b.markOutput(y)
        let packed = try b.serialize().withUnsafeBytes { raw in try Interpreter(model: try ModelFile(bytes: raw)).packedWeightBytes }
        #expect(packed == 0)
    }

    @Test func matMulByAConstant() throws {
        var rng = SplitMix64(seed: testSeed("packed-matmul"))
        for (batch, m, k, n, shared) in [(1, 5, 3, 4, true), (3, 4, 6, 2, true), (2, 7, 4, 6, false)] {
            let av = rng.floats(batch * m * k), bv = rng.floats((shared ? 1 : batch) * k * n)
            let b = ModelBuilder(name: "matmul-constant")
            let a = b.addInput("a", shape: [batch, m, k])
            let bm = b.addConstant("b", shape: shared ? [k, n] : [batch, k, n], floats: bv)
            let y = b.addActivation("y", shape: [batch, m, n])
            b.addOperator(.matmul, inputs: [a, bm], outputs: [y])
            b.markOutput(y)
            var expected = [Double](repeating: 0, count: batch * m * n)
            for t in 0..<batch { for i in 0..<m { for j in 0..<n {
                var acc = 0.0
                for q in 0..<k { acc += Double(av[(t * m + i) * k + q]) * Double(bv[(shared ? 0 : t * k * n) + q * n + j]) }
                expected[(t * m + i) * n + j] = acc
            } } }
            try b.serialize().withUnsafeBytes { raw in
                let interp = try Interpreter(model: try ModelFile(bytes: raw))
                try interp.setInput(0, av)
                interp.invoke()
                #expect(maxRelativeError(interp.output(0), expected) < floatTolerance, "batch \(batch) \(m)x\(k)x\(n)")
                #expect(interp.packedWeightBytes == aligned(bv.count))
                #expect(interp.arenaPlan.unshared == aligned(av.count) + aligned(expected.count))
            }
        }
    }

    /// The kernels' own entry points, given weights packed by their packing functions, match
    /// the float64 reference.
    @Test func preparedEntryPointsMatchReference() {
        var rng = SplitMix64(seed: testSeed("packed-entry"))
        var s = Conv2DSpec()
        s.n = 2; s.groups = 2; s.c = 6; s.cout = 18; s.kh = 3; s.kw = 2; s.h = 7; s.w = 6; s.pt = 1; s.pl = 1; s.pb = 1
        var g = ConvGeometry()
        g.batch = s.n; g.inChannels = s.c; g.inH = s.h; g.inW = s.w; g.outChannels = s.cout; g.outH = s.oh; g.outW = s.ow
        g.kernelH = s.kh; g.kernelW = s.kw; g.padTop = s.pt; g.padLeft = s.pl; g.groups = s.groups
        let x = rng.floats(s.n * s.c * s.h * s.w), w = rng.floats(s.cout * 3 * s.kh * s.kw), bias = rng.floats(s.cout)
        #expect(conv2dFloatPackedWeightCount(g) > 0, "the geometry takes the panel kernel")
        var cols = [Float](repeating: 0, count: conv2dFloatBlockBytes(g) / 4)
        var prepared = [Float](repeating: 0, count: s.n * s.cout * s.oh * s.ow)
        var panels = [Float](repeating: .nan, count: conv2dFloatPackedWeightCount(g))
        packConv2dFloatWeights(w, g, &panels)
        conv2dFloat(x, preparedWeights: panels, bias, g, cols: &cols, &prepared)
        #expect(maxRelativeError(prepared, referenceConv2D(x, w, bias, s)) < floatTolerance)

        let (rows, k, n) = (10, 21, 13)
        let xv = rng.floats(rows * k), wv = rng.floats(n * k)
        #expect(densePackedWeightCount(rows: rows, n: n, k: k) > 0, "the shape takes the panel kernel")
        var px = [Float](repeating: 0, count: denseInputBytes(rows: rows, n: n, k: k) / 4)
        var y = [Float](repeating: 0, count: rows * n)
        var wp = [Float](repeating: .nan, count: densePackedWeightCount(rows: rows, n: n, k: k))
        packDenseWeights(wv, n: n, k: k, &wp)
        dense(xv, rows: rows, preparedWeights: wp, n: n, k: k, nil, &y, packedX: &px)
        #expect(maxRelativeError(y, referenceGemm(xv, rows: rows, k: k, wv, n: n, nil)) < floatTolerance)
    }
}
