import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// Every float operator against an independent float64 reference on fresh random inputs.
// Float32 accumulation differs from float64 only by rounding: relative tolerance 1e-5.

let floatTolerance = 1e-5

@Suite("Float operators match a float64 reference")
struct FloatOpTests {
    func single(_ opcode: OpCode, _ options: OpOptions, input: [Int], output: [Int],
                constants: [(shape: [Int], values: [Float])], optionalAbsent: Int? = nil) -> [UInt8] {
        let b = ModelBuilder(name: "op-test")
        let x = b.addInput("x", shape: input)
        var inputs = [x]
        for (i, c) in constants.enumerated() {
            if let absent = optionalAbsent, absent == i + 1 { inputs.append(-1); continue }
            inputs.append(b.addConstant("c\(i)", shape: c.shape, floats: c.values))
        }
        let y = b.addActivation("y", shape: output)
        b.addOperator(opcode, inputs: inputs, outputs: [y], options: options)
        b.markOutput(y)
        return b.serialize()
    }

    @Test func convolutions() throws {
        var rng = SplitMix64(seed: testSeed("float-conv"))
        for trial in 0..<30 {
            var s = Conv2DSpec()
            let depthwise = trial % 5 == 0
            s.n = 1 + Int(rng.next() % 2)
            s.groups = depthwise ? 0 : [1, 1, 2][Int(rng.next() % 3)]
            s.c = depthwise ? 1 + Int(rng.next() % 6) : s.groups * (1 + Int(rng.next() % 5))
            if depthwise { s.groups = s.c }
            // Every fourth trial has 8+ output channels a group, the packed-panel GEMM and its im2col layout.
            s.cout = s.groups * (trial % 4 == 1 ? 8 + Int(rng.next() % 9) : 1 + Int(rng.next() % 6))
            let is1D = trial % 3 == 2
            s.kh = is1D ? 1 : 1 + Int(rng.next() % 4); s.kw = 1 + Int(rng.next() % 4)
            s.sh = is1D ? 1 : 1 + Int(rng.next() % 2); s.sw = 1 + Int(rng.next() % 3)
            s.dh = is1D ? 1 : 1 + Int(rng.next() % 2); s.dw = 1 + Int(rng.next() % 2)
            s.pt = is1D ? 0 : Int(rng.next() % UInt64(s.kh)); s.pb = is1D ? 0 : Int(rng.next() % UInt64(s.kh))
            s.pl = Int(rng.next() % UInt64(s.kw)); s.pr = Int(rng.next() % UInt64(s.kw))
            s.h = is1D ? 1 : s.dh * (s.kh - 1) + 1 + Int(rng.next() % 8); s.w = s.dw * (s.kw - 1) + 1 + Int(rng.next() % 8)
            try checkConv(s, is1D: is1D, &rng, "trial \(trial)")
        }
    }

    /// Output rows of whole 8-pixel panels, which im2col fills three plain loops a row: the keyword
    /// spotter's front convs, stride 1 with padding on both sides, a dilated one, and rows of two panels
    /// read with threads (blocks of whole rows).
    @Test func convolutionsWithPanelWideRows() throws {
        var rng = SplitMix64(seed: testSeed("float-conv-panel-rows"))
        var specs: [Conv2DSpec] = []
        func spec(_ c: Int, _ h: Int, _ w: Int, _ cout: Int, k: Int, s: Int, pad: Int, d: Int = 1) {
            var x = Conv2DSpec()
            x.c = c; x.h = h; x.w = w; x.cout = cout; x.kh = k; x.kw = k; x.sh = s; x.sw = s
            x.pt = pad; x.pl = pad; x.pb = pad; x.pr = pad; x.dh = d; x.dw = d
            specs.append(x)
        }
        spec(1, 32, 32, 16, k: 5, s: 2, pad: 2)       // KWS front conv 1 (16 × 16 out)
        spec(16, 16, 16, 32, k: 5, s: 2, pad: 2)      // KWS front conv 2 (8 × 8 out)
        spec(3, 8, 8, 9, k: 3, s: 1, pad: 1)          // stride 1, padding both sides
        spec(2, 12, 16, 8, k: 3, s: 1, pad: 2, d: 2)  // dilated, 16 wide
        spec(4, 6, 10, 12, k: 3, s: 1, pad: 0)        // 8 wide, no padding
        for (i, s) in specs.enumerated() {
            #expect(s.ow % 8 == 0, "spec \(i) is meant to have panel-wide rows")
            try checkConv(s, is1D: false, &rng, "panel rows \(i)")
            try checkConv(s, is1D: false, &rng, "panel rows \(i), 2 threads", threads: 2)
        }
    }

    /// Column matrices larger than one block (conv2dFloatBlockBytes): the columns are built and
    /// multiplied a block of pixels at a time through one block of scratch (per thread's part), in
    /// whole rows, in whole panels that cut rows (7- and 10-wide outputs, a partial last panel), and
    /// in the dot-form layout (under 8 output channels).
    @Test func convolutionsInColumnBlocks() throws {
        var rng = SplitMix64(seed: testSeed("float-conv-blocks"))
        var specs: [Conv2DSpec] = []
        func spec(_ c: Int, _ h: Int, _ w: Int, _ cout: Int, k: Int, s: Int, pad: Int) {
            var x = Conv2DSpec()
            x.c = c; x.h = h; x.w = w; x.cout = cout; x.kh = k; x.kw = k; x.sh = s; x.sw = s
            x.pt = pad; x.pl = pad; x.pb = pad; x.pr = pad
            specs.append(x)
        }
        spec(16, 16, 16, 32, k: 5, s: 2, pad: 2)   // whole rows: 8 blocks of one row
        spec(32, 9, 9, 16, k: 3, s: 1, pad: 1)     // 9 × 9 out: panels across rows, 81 = 10 panels + 1
        spec(32, 7, 7, 12, k: 3, s: 1, pad: 0)     // 5 × 5 out, K = 288
        spec(64, 10, 10, 4, k: 3, s: 1, pad: 1)    // 4 outputs: dot form, row layout
        for (i, s) in specs.enumerated() {
            var g = ConvGeometry()
            g.inChannels = s.c; g.kernelH = s.kh; g.kernelW = s.kw; g.outH = s.oh; g.outW = s.ow
            #expect(conv2dFloatBlockPixels(g) < s.oh * s.ow, "spec \(i) is meant to need several blocks")
            try checkConv(s, is1D: false, &rng, "column blocks \(i)")
            try checkConv(s, is1D: false, &rng, "column blocks \(i), 2 threads", threads: 2)
        }
    }

    /// A depthwise layer with an infinite weight (a broken model, which must still run as written):
    /// a tap over padding contributes nothing, as in the reference, so outputs whose infinite tap
    /// falls on padding stay finite instead of 0 × inf = NaN. The keyword spotter's memory-conv
    /// shape (short stride-1 rows with padding), whose fast path is taken only for finite weights.
    @Test func depthwiseWithAnInfiniteWeightSkipsPadding() throws {
        var s = Conv2DSpec()
        s.c = 4; s.groups = 4; s.cout = 4; s.h = 1; s.w = 8; s.kh = 1; s.kw = 5; s.pl = 2; s.pr = 2
        var rng = SplitMix64(seed: testSeed("depthwise-inf"))
        let x = rng.floats(s.c * s.w).map { $0 + 4 }   // no zero inputs: inf × x is ±inf, never NaN
        var w = rng.floats(s.cout * s.kw)
        w[1 * s.kw + 0] = .infinity                    // channel 1, leftmost tap: padding for outputs 0, 1
        let model = single(.conv1d, .conv({ var p = ConvParams(); p.padLeft = 2; p.padRight = 2; p.groups = 4; return p }()),
                           input: [1, s.c, s.w], output: [1, s.cout, s.ow],
                           constants: [([s.cout, 1, s.kw], w), ([s.cout], [])], optionalAbsent: 2)
        let got = try runModel(model, inputs: [x])
        let want = referenceConv2D(x, w, nil, s)
        for i in got.indices {
            let same = want[i].isNaN ? got[i].isNaN
                : (want[i].isInfinite ? Double(got[i]) == want[i] : abs(Double(got[i]) - want[i]) <= 1e-5 * max(1, abs(want[i])))
            #expect(same, "output \(i): \(got[i]), reference \(want[i])")
        }
        #expect(got[1 * s.ow + 0].isFinite && got[1 * s.ow + 2].isInfinite)
    }

    func checkConv(_ s: Conv2DSpec, is1D: Bool, _ rng: inout SplitMix64, _ label: String, threads: Int = 1) throws {
        let x = rng.floats(s.n * s.c * s.h * s.w)
        let w = rng.floats(s.cout * (s.c / s.groups) * s.kh * s.kw)
        let bias = rng.next() % 2 == 0 ? rng.floats(s.cout) : nil
        var p = ConvParams()
        p.strideH = s.sh; p.strideW = s.sw; p.padTop = s.pt; p.padLeft = s.pl; p.padBottom = s.pb; p.padRight = s.pr
        p.dilationH = s.dh; p.dilationW = s.dw; p.groups = s.groups
        let wShape = is1D ? [s.cout, s.c / s.groups, s.kw] : [s.cout, s.c / s.groups, s.kh, s.kw]
        let model = single(is1D ? .conv1d : .conv2d, .conv(p),
                           input: is1D ? [s.n, s.c, s.w] : [s.n, s.c, s.h, s.w],
                           output: is1D ? [s.n, s.cout, s.ow] : [s.n, s.cout, s.oh, s.ow],
                           constants: [(wShape, w), ([s.cout], bias ?? [])], optionalAbsent: bias == nil ? 2 : nil)
        let got = try runModel(model, inputs: [x], threads: threads)
        let err = maxRelativeError(got, referenceConv2D(x, w, bias, s))
        #expect(err < floatTolerance, "\(label) \(s): error \(err)")
    }

    @Test func gemmAndActivations() throws {
        var rng = SplitMix64(seed: testSeed("float-gemm"))
        for (rows, k, n) in [(1, 1, 1), (3, 7, 5), (4, 16, 4), (9, 33, 11), (2, 300, 6)] {
            let x = rng.floats(rows * k), w = rng.floats(n * k), bias = rng.floats(n)
            let slope = rng.floats(n, 0, 0.5)
            for act in [Activation.none, .relu, .clip, .prelu] {
                let fused = FusedActivation(kind: act, clipMin: -0.5, clipMax: 0.7)
                var consts: [(shape: [Int], values: [Float])] = [([n, k], w), ([n], bias)]
                if act == .prelu { consts.append(([n], slope)) }
                let model = single(.gemm, .gemm(fused), input: [rows, k], output: [rows, n], constants: consts)
                var expected = referenceGemm(x, rows: rows, k: k, w, n: n, bias)
                for i in 0..<expected.count {
                    let v = expected[i]
                    switch act {
                    case .none: break
                    case .relu: expected[i] = max(v, 0)
                    case .clip: expected[i] = min(max(v, -0.5), 0.7)
                    case .prelu: expected[i] = v < 0 ? v * Double(slope[i % n]) : v
                    }
                }
                let err = maxRelativeError(try runModel(model, inputs: [x]), expected)
                #expect(err < floatTolerance, "gemm \(rows)x\(k)x\(n) \(act): \(err)")
            }
        }
    }

    /// ONNX's Clip with an input left out has no bound on that side (torch.clamp(x, min=0)): the
    /// file holds it as an infinity on its own side, which runs; NaN or an infinity on the wrong
    /// side is refused, naming the field (a fuzzed ONNX file first showed the converter writing
    /// max = inf that the runtime then refused).
    @Test func clipBoundsOpenOnOneSide() throws {
        let x: [Float] = [-3e38, -7, -0.5, 0, 0.25, 6, 7.5, 3e38, .infinity, -.infinity]
        for (lo, hi) in [(Float(0), Float.infinity), (-Float.infinity, Float(6)), (-Float.infinity, Float.infinity)] {
            let m = single(.clip, .clip(min: lo, max: hi), input: [x.count], output: [x.count], constants: [])
            let want = x.map { $0 < lo ? lo : ($0 > hi ? hi : $0) }
            #expect(try runModel(m, inputs: [x]).map(\.bitPattern) == want.map(\.bitPattern), "clip \(lo)...\(hi)")
        }
        for (lo, hi, field) in [(Float.nan, Float(1), "min is nan"), (Float(0), -Float.infinity, "max is -inf"),
                                (Float.infinity, Float.infinity, "min is inf")] {
            let m = single(.clip, .clip(min: lo, max: hi), input: [4], output: [4], constants: [])
            do {
                _ = try runModel(m, inputs: [[1, 2, 3, 4]])
                Issue.record("clip \(lo)...\(hi) was accepted")
            } catch let e as RuntimeError {
                #expect(e.message.contains(field), "\(e.message)")
            }
        }
    }

    @Test func elementwiseAndShapeOps() throws {
        var rng = SplitMix64(seed: testSeed("float-elementwise"))
        let shape = [2, 5, 3, 4], count = 120
        let x = rng.floats(count, -2, 2)
        let scale = rng.floats(5), bias = rng.floats(5), slope = rng.floats(5, 0, 1)
        func chan(_ i: Int) -> Int { (i / 12) % 5 }
        // ChannelAffine, PReLU, ReLU, Clip.
        var m = single(.channelAffine, .channelAffine, input: shape, output: shape, constants: [([5], scale), ([5], bias)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { Double(x[$0]) * Double(scale[chan($0)]) + Double(bias[chan($0)]) }) < floatTolerance)
        m = single(.prelu, .prelu, input: shape, output: shape, constants: [([5], slope)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { x[$0] < 0 ? Double(x[$0]) * Double(slope[chan($0)]) : Double(x[$0]) }) < floatTolerance)
        m = single(.relu, .none, input: shape, output: shape, constants: [])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), x.map { max(Double($0), 0) }) == 0)
        m = single(.clip, .clip(min: -1, max: 1), input: shape, output: shape, constants: [])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), x.map { min(max(Double($0), -1), 1) }) == 0)
        // Add with a full operand and with a trailing broadcast.
        let y = rng.floats(count), t = rng.floats(4)
        m = single(.add, .add(FusedActivation()), input: shape, output: shape, constants: [(shape, y)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { Double(x[$0]) + Double(y[$0]) }) < floatTolerance)
        m = single(.add, .add(FusedActivation(kind: .relu)), input: shape, output: shape, constants: [([1, 4], t)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { max(Double(x[$0]) + Double(t[$0 % 4]), 0) }) < floatTolerance)
        // Sub, Mul (trailing broadcast), Sign.
        m = single(.sub, .add(FusedActivation()), input: shape, output: shape, constants: [([4], t)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { Double(x[$0]) - Double(t[$0 % 4]) }) < floatTolerance)
        m = single(.mul, .add(FusedActivation()), input: shape, output: shape, constants: [(shape, y)])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), (0..<count).map { Double(x[$0]) * Double(y[$0]) }) < floatTolerance)
        var withZero = x; withZero[7] = 0
        m = single(.sign, .none, input: shape, output: shape, constants: [])
        #expect(try runModel(m, inputs: [withZero]) == withZero.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
        // Reshape and transpose.
        m = single(.reshape, .reshape, input: shape, output: [10, 12], constants: [])
        #expect(try runModel(m, inputs: [x]) == x)
        m = single(.transpose, .transpose(perm: [0, 2, 3, 1]), input: shape, output: [2, 3, 4, 5], constants: [])
        var tr = [Double](repeating: 0, count: count)
        for n in 0..<2 { for c in 0..<5 { for h in 0..<3 { for w in 0..<4 {
            tr[((n * 3 + h) * 4 + w) * 5 + c] = Double(x[((n * 5 + c) * 3 + h) * 4 + w])
        } } } }
        #expect(maxRelativeError(try runModel(m, inputs: [x]), tr) == 0)
        // Softmax over the channel axis; reduce-max over axis 2 with an offset.
        m = single(.softmax, .softmax(axis: 1), input: shape, output: shape, constants: [])
        var sm = [Double](repeating: 0, count: count)
        for n in 0..<2 { for s in 0..<12 {
            var total = 0.0
            for c in 0..<5 { total += Foundation.exp(Double(x[(n * 5 + c) * 12 + s])) }
            for c in 0..<5 { sm[(n * 5 + c) * 12 + s] = Foundation.exp(Double(x[(n * 5 + c) * 12 + s])) / total }
        } }
        #expect(maxRelativeError(try runModel(m, inputs: [x]), sm) < floatTolerance)
        m = single(.logSoftmax, .softmax(axis: 1), input: shape, output: shape, constants: [])
        #expect(maxRelativeError(try runModel(m, inputs: [x]), sm.map { Foundation.log($0) }) < floatTolerance)
        m = single(.reduceMax, .reduceMax(axis: 2, keepDims: false, offset: -3.2041), input: shape, output: [2, 5, 4], constants: [])
        var rm = [Double](repeating: -.infinity, count: 40)
        for n in 0..<2 { for c in 0..<5 { for h in 0..<3 { for w in 0..<4 {
            rm[(n * 5 + c) * 4 + w] = max(rm[(n * 5 + c) * 4 + w], Double(x[((n * 5 + c) * 3 + h) * 4 + w]))
        } } } }
        #expect(maxRelativeError(try runModel(m, inputs: [x]), rm.map { $0 + Double(Float(-3.2041)) }) < floatTolerance)
    }

    @Test func matMulOfTwoActivations() throws {
        var rng = SplitMix64(seed: testSeed("float-matmul"))
        for (batch, mm, k, n, shared) in [(1, 5, 3, 3, false), (2, 7, 4, 6, false), (3, 4, 5, 2, true)] {
            let b = ModelBuilder(name: "matmul")
            let a = b.addInput("a", shape: [batch, mm, k])
            let bm = b.addInput("b", shape: shared ? [k, n] : [batch, k, n])
            let y = b.addActivation("y", shape: [batch, mm, n])
            b.addOperator(.matmul, inputs: [a, bm], outputs: [y])
            b.markOutput(y)
            let av = rng.floats(batch * mm * k), bv = rng.floats((shared ? 1 : batch) * k * n)
            var expected = [Double](repeating: 0, count: batch * mm * n)
            for t in 0..<batch { for i in 0..<mm { for j in 0..<n {
                var acc = 0.0
                for q in 0..<k { acc += Double(av[(t * mm + i) * k + q]) * Double(bv[(shared ? 0 : t * k * n) + q * n + j]) }
                expected[(t * mm + i) * n + j] = acc
            } } }
            let got = try b.serialize().withUnsafeBytes { raw -> [Float] in
                let interp = try Interpreter(model: try ModelFile(bytes: raw))
                try interp.setInput(0, av); try interp.setInput(1, bv)
                interp.invoke()
                return interp.output(0)
            }
            #expect(maxRelativeError(got, expected) < floatTolerance)
        }
    }

    @Test func pooling() throws {
        var rng = SplitMix64(seed: testSeed("float-pool"))
        let (n, c, h, w) = (2, 3, 7, 6)
        let x = rng.floats(n * c * h * w)
        for (kind, k, s, pad, includePad) in [(PoolKind.max, 2, 2, 0, false), (.max, 3, 1, 1, false), (.average, 3, 2, 1, false),
                                              (.average, 3, 2, 1, true), (.average, 2, 1, 0, false)] {
            var p = PoolParams()
            p.kind = kind; p.kernelH = k; p.kernelW = k; p.strideH = s; p.strideW = s
            p.padTop = pad; p.padLeft = pad; p.padBottom = pad; p.padRight = pad; p.countIncludePad = includePad
            let oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1
            var expected = [Double]()
            for plane in 0..<(n * c) { for oy in 0..<oh { for ox in 0..<ow {
                var best = -Double.infinity, sum = 0.0, cnt = 0
                for ky in 0..<k { for kx in 0..<k {
                    let iy = oy * s - pad + ky, ix = ox * s - pad + kx
                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                    let v = Double(x[(plane * h + iy) * w + ix]); best = max(best, v); sum += v; cnt += 1
                } }
                expected.append(kind == .max ? best : sum / Double(includePad ? k * k : cnt))
            } } }
            let m = single(.pool2d, .pool(p), input: [n, c, h, w], output: [n, c, oh, ow], constants: [])
            #expect(maxRelativeError(try runModel(m, inputs: [x]), expected) < floatTolerance, "\(kind) k\(k) s\(s) p\(pad)")
        }
        for isMax in [true, false] {
            var p = PoolParams(); p.global = true; p.kind = isMax ? .max : .average
            let m = single(.pool2d, .pool(p), input: [n, c, h, w], output: [n, c, 1, 1], constants: [])
            let expected = (0..<(n * c)).map { plane -> Double in
                let vals = (0..<(h * w)).map { Double(x[plane * h * w + $0]) }
                return isMax ? vals.max()! : vals.reduce(0, +) / Double(h * w)
            }
            #expect(maxRelativeError(try runModel(m, inputs: [x]), expected) < floatTolerance)
        }
    }
}

