import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Testing

// Binary kernels against a naive ±1 integer reference: exact equality. scale = 1, bias = 0,
// so the output is the integer dot product itself. Channel counts straddle word boundaries,
// batches and output counts straddle the 4×4 tile, and padding checks the exact border rule
// (a padded tap contributes 0, as sign(0) = 0 does in the source graph).

@Suite("Binary kernels equal a naive ±1 integer reference")
struct BinaryKernelTests {
    /// Builds x -> SignPack(channels last) -> BinaryConv2D/1D with unit transform.
    func binaryConvModel(_ s: Conv2DSpec, is1D: Bool, depthwise: Bool, weights: [Float]) -> [UInt8] {
        let b = ModelBuilder(name: "bconv-test")
        let xShape = is1D ? [s.n, s.c, s.w] : [s.n, s.c, s.h, s.w]
        let x = b.addInput("x", shape: xShape)
        let packedShape = is1D ? [s.n, s.w, s.c] : [s.n, s.h, s.w, s.c]
        let xp = b.addActivation("xp", shape: packedShape, dtype: .bit)
        b.addOperator(.signPack, inputs: [x], outputs: [xp], options: .signPack(channelsLast: true, threshold: 0))
        let wShape: [Int]
        if depthwise { wShape = is1D ? [s.kw, s.c] : [s.kh, s.kw, s.c] } else { wShape = is1D ? [s.cout, s.kw, s.c] : [s.cout, s.kh, s.kw, s.c] }
        let w = b.addPackedConstant("w", shape: wShape, words: packSigns(weights, rowLength: s.c))
        let scale = b.addConstant("scale", shape: [s.cout], floats: [Float](repeating: 1, count: s.cout))
        let bias = b.addConstant("bias", shape: [s.cout], floats: [Float](repeating: 0, count: s.cout))
        let yShape = is1D ? [s.n, s.cout, s.ow] : [s.n, s.cout, s.oh, s.ow]
        let y = b.addActivation("y", shape: yShape)
        var p = ConvParams()
        p.strideH = s.sh; p.strideW = s.sw; p.padTop = s.pt; p.padLeft = s.pl; p.padBottom = s.pb; p.padRight = s.pr
        p.dilationH = s.dh; p.dilationW = s.dw; p.groups = depthwise ? s.c : 1
        b.addOperator(is1D ? .binaryConv1d : .binaryConv2d, inputs: [xp, w, scale, bias], outputs: [y],
                      options: .binaryConv(p, inputChannels: s.c))
        b.markOutput(y)
        return b.serialize()
    }

    /// Naive reference with weights in the packed layout ([cout, kh, kw, c] or [kh, kw, c]).
    func reference(_ x: [Float], _ w: [Float], _ s: Conv2DSpec, depthwise: Bool) -> [Int] {
        var y = [Int](repeating: 0, count: s.n * s.cout * s.oh * s.ow)
        for n in 0..<s.n { for co in 0..<s.cout { for oy in 0..<s.oh { for ox in 0..<s.ow {
            var acc = 0
            for ky in 0..<s.kh { for kx in 0..<s.kw {
                let iy = oy * s.sh - s.pt + ky * s.dh, ix = ox * s.sw - s.pl + kx * s.dw
                guard iy >= 0, iy < s.h, ix >= 0, ix < s.w else { continue }   // padded tap: 0
                for ci in (depthwise ? co..<(co + 1) : 0..<s.c) {
                    let a = x[((n * s.c + ci) * s.h + iy) * s.w + ix] < 0 ? -1 : 1
                    let wv = depthwise ? w[(ky * s.kw + kx) * s.c + ci] : w[((co * s.kh + ky) * s.kw + kx) * s.c + ci]
                    acc += a * (wv < 0 ? -1 : 1)
                }
            } }
            y[((n * s.cout + co) * s.oh + oy) * s.ow + ox] = acc
        } } } }
        return y
    }

    @Test func convolutionsMatchExactly() throws {
        var rng = SplitMix64(seed: testSeed("binary-conv"))
        let channelCounts = [1, 3, 63, 64, 65, 127, 130]
        for trial in 0..<40 {
            let is1D = trial % 4 == 3
            var depthwise = trial % 5 == 4
            var s = Conv2DSpec()
            s.n = 1 + Int(rng.next() % 2)
            s.c = channelCounts[Int(rng.next() % UInt64(channelCounts.count))]
            if s.c == 1 { depthwise = false }   // one channel: groups = 1, the regular layout
            s.cout = depthwise ? s.c : 1 + Int(rng.next() % 9)
            s.kh = is1D ? 1 : [1, 3, 5][Int(rng.next() % 3)]
            s.kw = [1, 3, 5][Int(rng.next() % 3)]
            s.h = is1D ? 1 : s.kh + Int(rng.next() % 7)
            s.w = s.kw + Int(rng.next() % 7)
            s.sh = is1D ? 1 : 1 + Int(rng.next() % 2); s.sw = 1 + Int(rng.next() % 2)
            s.dh = is1D ? 1 : (s.kh > 1 && rng.next() % 4 == 0 ? 2 : 1); s.dw = s.kw > 1 && rng.next() % 4 == 0 ? 2 : 1
            let maxPadH = (s.kh - 1) * s.dh, maxPadW = (s.kw - 1) * s.dw
            s.pt = is1D ? 0 : Int(rng.next() % UInt64(maxPadH + 1)); s.pb = is1D ? 0 : Int(rng.next() % UInt64(maxPadH + 1))
            s.pl = Int(rng.next() % UInt64(maxPadW + 1)); s.pr = Int(rng.next() % UInt64(maxPadW + 1))
            s.h += is1D ? 0 : s.dh * (s.kh - 1); s.w += s.dw * (s.kw - 1)
            let x = rng.floats(s.n * s.c * s.h * s.w)
            let w = rng.signs(depthwise ? s.kh * s.kw * s.c : s.cout * s.kh * s.kw * s.c)
            let model = binaryConvModel(s, is1D: is1D, depthwise: depthwise, weights: w)
            let expected = reference(x, w, s, depthwise: depthwise).map(Float.init)
            let got = try runModel(model, inputs: [x])
            #expect(got == expected, "trial \(trial): \(is1D ? "1D" : "2D") depthwise=\(depthwise) \(s)")
            // The float-kernel execution of the same model (bench's baseline) agrees too.
            let emulated = try runModel(model, inputs: [x], mode: .floatReference)
            #expect(emulated == expected, "float reference, trial \(trial): \(s)")
        }
    }

    /// Under 64 input channels the conv packs taps densely (several taps a word, a tap's bits
    /// straddling words when the channel count does not divide 64); stride 2, padding, 1×1 and
    /// 3×3 and output counts off the 4×4 tile exercise the gather's border and word edges.
    @Test func smallChannelConvolutionsMatchExactly() throws {
        var rng = SplitMix64(seed: testSeed("binary-conv-dense-taps"))
        let shapes: [(c: Int, cout: Int, k: Int, stride: Int, pad: Int)] = [
            (1, 3, 3, 1, 1), (5, 7, 3, 2, 1), (8, 8, 3, 1, 1), (8, 16, 3, 2, 1), (16, 16, 3, 1, 1), (21, 5, 3, 1, 0),
            (31, 9, 3, 2, 2), (32, 32, 3, 1, 1), (33, 6, 3, 2, 1), (40, 13, 5, 1, 2), (63, 4, 3, 1, 1), (8, 11, 1, 2, 0),
            (12, 10, 2, 1, 1)]
        for (trial, shape) in shapes.enumerated() {
            var s = Conv2DSpec()
            s.n = 1 + trial % 2; s.c = shape.c; s.cout = shape.cout; s.kh = shape.k; s.kw = shape.k
            s.h = 5 + trial % 4; s.w = 4 + trial % 5; s.sh = shape.stride; s.sw = shape.stride
            s.pt = shape.pad; s.pl = shape.pad; s.pb = shape.pad; s.pr = trial % 3 == 0 ? 0 : shape.pad
            let x = rng.floats(s.n * s.c * s.h * s.w)
            let w = rng.signs(s.cout * s.kh * s.kw * s.c)
            let model = binaryConvModel(s, is1D: false, depthwise: false, weights: w)
            let expected = reference(x, w, s, depthwise: false).map(Float.init)
            #expect(try runModel(model, inputs: [x]) == expected, "\(s)")
        }
    }

    @Test func denseMatchesExactly() throws {
        var rng = SplitMix64(seed: testSeed("binary-dense"))
        for (rows, k, n) in [(1, 1, 1), (3, 63, 5), (4, 64, 4), (5, 65, 9), (7, 200, 13), (2, 1000, 3), (9, 128, 17)] {
            let b = ModelBuilder(name: "bgemm-test")
            let x = b.addInput("x", shape: [rows, k])
            let xp = b.addActivation("xp", shape: [rows, k], dtype: .bit)
            b.addOperator(.signPack, inputs: [x], outputs: [xp], options: .signPack(channelsLast: false, threshold: 0))
            let wv = rng.signs(n * k)
            let w = b.addPackedConstant("w", shape: [n, k], words: packSigns(wv, rowLength: k))
            let scale = b.addConstant("s", shape: [n], floats: [Float](repeating: 1, count: n))
            let bias = b.addConstant("b", shape: [n], floats: [Float](repeating: 0, count: n))
            let y = b.addActivation("y", shape: [rows, n])
            b.addOperator(.binaryGemm, inputs: [xp, w, scale, bias], outputs: [y], options: .binaryGemm(FusedActivation()))
            b.markOutput(y)
            let xv = rng.floats(rows * k)
            var expected = [Float](repeating: 0, count: rows * n)
            for r in 0..<rows { for j in 0..<n {
                var acc = 0
                for i in 0..<k { acc += (xv[r * k + i] < 0 ? -1 : 1) * (wv[j * k + i] < 0 ? -1 : 1) }
                expected[r * n + j] = Float(acc)
            } }
            let model = b.serialize()
            #expect(try runModel(model, inputs: [xv]) == expected, "rows \(rows) k \(k) n \(n)")
            #expect(try runModel(model, inputs: [xv], mode: .floatReference) == expected)
        }
    }

    @Test func bgemmKernelEqualsScalarPopcount() {
        var rng = SplitMix64(seed: testSeed("bgemm-kernel"))
        for (m, n, words) in [(1, 1, 1), (4, 4, 2), (5, 7, 3), (8, 8, 62), (6, 9, 63), (4, 4, 64), (3, 5, 65)] {
            let a = (0..<(m * words)).map { _ in rng.next() }, b = (0..<(n * words)).map { _ in rng.next() }
            var c = [Int32](repeating: -1, count: m * n)
            bgemmPopcount(a, m: m, b, n: n, words: words, &c)
            for i in 0..<m { for j in 0..<n {
                var expected = 0
                for w in 0..<words { expected += (a[i * words + w] ^ b[j * words + w]).nonzeroBitCount }
                #expect(Int(c[i * n + j]) == expected, "m \(m) n \(n) words \(words) at \(i),\(j)")
            } }
        }
    }
}
