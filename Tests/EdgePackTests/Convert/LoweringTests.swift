import Foundation
import Testing
import EdgePackFormat
@testable import EdgePackConvert

/// Kernel choice (binary only where exact), fusion and errors of the ONNX → .epk mapping.
@Suite struct LoweringTests {
    /// x [1, 2, 4, 4] → Sign (optionally of Relu(x)) → Conv 3×3 pad 1 → y.
    static func signConv(weights: [Float], relu: Bool = false, extra: [Onnx_NodeProto] = [], output: String = "y") -> Onnx_ModelProto {
        var nodes: [Onnx_NodeProto] = []
        var src = "x"
        if relu { nodes.append(ONNXBuild.node("Relu", ["x"], ["r"], name: "relu")); src = "r" }
        nodes.append(ONNXBuild.node("Sign", [src], ["s"], name: "sign"))
        nodes.append(ONNXBuild.node("Conv", ["s", "w"], ["y"], name: "conv", attributes: [ONNXBuild.intsAttribute("pads", [1, 1, 1, 1])]))
        return ONNXBuild.model(nodes: nodes + extra, inputs: [ONNXBuild.value("x", [1, 2, 4, 4])], outputs: [output],
                               initializers: [ONNXBuild.tensor("w", [3, 2, 3, 3], weights)])
    }

    static func convert(_ m: Onnx_ModelProto) throws -> Converter.Result {
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        return try Converter.convert(graph: &g, source: "test", options: ConvertOptions())
    }

    static func pattern(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed
        return (0..<n).map { _ in s = s &* 6364136223846793005 &+ 1442695040888963407; return (s >> 63) == 0 ? 1 : -1 }
    }

    /// Float64 reference: 3×3 convolution, zero padding 1, of sign(x).
    static func reference(_ x: [Float], _ w: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: 3 * 16)
        for o in 0..<3 { for i in 0..<4 { for j in 0..<4 {
            var acc = 0.0
            for c in 0..<2 { for a in 0..<3 { for b in 0..<3 {
                let ii = i + a - 1, jj = j + b - 1
                guard ii >= 0, ii < 4, jj >= 0, jj < 4 else { continue }
                let v = Double(x[c * 16 + ii * 4 + jj])
                acc += Double(w[((o * 2 + c) * 3 + a) * 3 + b]) * (v > 0 ? 1 : v < 0 ? -1 : 0)
            } } }
            y[o * 16 + i * 4 + j] = acc
        } } }
        return y
    }

    static let input: [Float] = (0..<32).map { Float(($0 * 37) % 19) / 9 - 1 }   // includes exact zeros

    @Test func plusMinusAlphaPerChannelIsBinary() throws {
        let alpha: [Float] = [0.5, 0.25, 2]
        let w = Self.pattern(54, seed: 3).enumerated().map { $0.element * alpha[$0.offset / 18] }
        let r = try Self.convert(Self.signConv(weights: w))
        let conv = try #require(r.report.layers.first { $0.op == "Conv" })
        #expect(conv.kernel == .binary)
        // 54 float weights (216 bytes) become 3 channels × 9 taps of one 64-bit word, plus scale and bias.
        #expect(conv.bytesBefore == 216 && conv.bytesAfter == 27 * 8 + 24)
        let y = try ConvertFixturesTests.run(r.model, input: Self.input)
        // The runtime reads sign(0) as +1 (a set bit means -1); the input has exact zeros, so
        // compare on an input without them.
        let nonzero = Self.input.map { $0 == 0 ? 0.25 : $0 }
        let y2 = try ConvertFixturesTests.run(r.model, input: nonzero)
        let ref = Self.reference(nonzero, w)
        #expect(zip(y2, ref).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        #expect(y.count == 48)
    }

    @Test func perInputChannelScalesStayFloat() throws {
        // One scale per (out, in) pair, as the official BiFSMN quantizer makes: not binary.
        let w = Self.pattern(54, seed: 5).enumerated().map { $0.element * Float(1 + $0.offset / 9) }
        let r = try Self.convert(Self.signConv(weights: w))
        let conv = try #require(r.report.layers.first { $0.op == "Conv" })
        #expect(conv.kernel == .float && conv.reason.contains("(out, in)"))
        // The float path computes sign(x) exactly, zeros included.
        let y = try ConvertFixturesTests.run(r.model, input: Self.input)
        #expect(zip(y, Self.reference(Self.input, w)).allSatisfy { abs(Double($0) - $1) < 1e-4 })
    }

    /// Relu makes about half the signs 0; the zero mask keeps the binary layer exact.
    @Test func signOfReluIsBinaryAndExact() throws {
        let w = Self.pattern(54, seed: 7)
        let r = try Self.convert(Self.signConv(weights: w, relu: true))
        let conv = try #require(r.report.layers.first { $0.op == "Conv" })
        #expect(conv.kernel == .binary)
        let y = try ConvertFixturesTests.run(r.model, input: Self.input)
        #expect(zip(y, Self.reference(Self.input.map { max(0, $0) }, w)).allSatisfy { abs(Double($0) - $1) < 1e-4 })
    }

    @Test func batchNormAndActivationFoldIntoTheBinaryLayer() throws {
        let w = Self.pattern(54, seed: 9)
        let bn = ONNXBuild.node("BatchNormalization", ["y", "g", "b", "m", "v"], ["z"], name: "bn")
        let act = ONNXBuild.node("Clip", ["z", "lo", "hi"], ["out"], name: "hardtanh")
        var m = Self.signConv(weights: w, extra: [bn, act], output: "out")
        m.graph.initializer += [ONNXBuild.tensor("g", [3], [1, 2, 0.5]), ONNXBuild.tensor("b", [3], [0.1, -0.2, 0.3]),
                                ONNXBuild.tensor("m", [3], [0.5, 0, -1]), ONNXBuild.tensor("v", [3], [1, 4, 0.25]),
                                ONNXBuild.tensor("lo", [], [-1]), ONNXBuild.tensor("hi", [], [1])]
        let r = try Self.convert(m)
        let conv = try #require(r.report.layers.first { $0.op == "Conv" })
        #expect(conv.kernel == .binary && conv.fused == ["BatchNormalization", "Clip"])
        #expect(r.report.layers.filter { $0.op != "Sign" }.count == 1)
        let x = Self.input.map { $0 == 0 ? -0.5 : $0 }
        let y = try ConvertFixturesTests.run(r.model, input: x)
        let ref = Self.reference(x, w)
        let (g, b, mu, v): ([Double], [Double], [Double], [Double]) = ([1, 2, 0.5], [0.1, -0.2, 0.3], [0.5, 0, -1], [1, 4, 0.25])
        for (k, got) in y.enumerated() {
            let c = k / 16
            let want = min(max((ref[k] - mu[c]) / (v[c] + 1e-5).squareRoot() * g[c] + b[c], -1), 1)
            #expect(abs(Double(got) - want) < 1e-5)
        }
    }

    @Test func unsupportedOpsAreNamedWithExactlyTheRuleTable() throws {
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Erf", ["x"], ["y"], name: "gelu_part")],
                                inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"])
        do {
            _ = try Self.convert(m)
            Issue.record("Erf converted")
        } catch {
            let d = "\(error)"
            #expect(d.contains("Erf 'gelu_part'"))
            let listed = d.components(separatedBy: "Supported ops: ").dropFirst().first?.components(separatedBy: ", ") ?? []
            #expect(listed == LoweringRules.table.keys.sorted())
            #expect(listed.contains("Conv") && listed.contains("Gemm") && !listed.contains("Erf"))
        }
    }

    /// Shape inference runs before lowering: an operator with a lowering rule but no shape
    /// rule could never be converted.
    @Test func everyLoweredOperatorHasAShapeRule() {
        #expect(Set(LoweringRules.table.keys).subtracting(ShapeInference.supportedOps).isEmpty)
    }

    @Test func aPadTheRewritesCannotTakeNamesTheSupportedForm() throws {
        // Padding with 1, not 0: no convolution reproduces it.
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Pad", ["x", "pads", "one"], ["y"], name: "pad")],
                                inputs: [ONNXBuild.value("x", [1, 2, 4])], outputs: ["y"],
                                initializers: [ONNXBuild.int64Tensor("pads", [6], [0, 0, 1, 0, 0, 1]), ONNXBuild.tensor("one", [], [1])])
        #expect { try Self.convert(m) } throws: { e in
            "\(e)".contains("Pad 'pad' cannot be converted: Pad is supported in one form, only a zero Pad")
        }
    }

    /// The quantizer fixtures end to end: converted, run, compared with onnxruntime's output.
    @Test(arguments: ["quantizers_ts.onnx", "quantizers_dynamo.onnx"])
    func quantizerModelsMatchOnnxruntime(_ name: String) throws {
        var (g, expected) = try ConvertFixtures.load(name, prefix: "expected_output:")
        let (_, inputs) = try ConvertFixtures.load(name, prefix: "test_input:")
        g.outputs = [g.outputs[0]]                       // drop the exposed weight outputs
        for k in g.initializers.keys where k.hasPrefix("expected:") || k.hasPrefix("test_input:") { g.initializers[k] = nil }
        let r = try Converter.convert(graph: &g, source: name, options: ConvertOptions())
        #expect(r.report.binaryLayers == 2)
        let x = try #require(inputs.values.first?.floats)
        let want = try #require(expected.values.first?.floats)
        let got = try ConvertFixturesTests.run(r.model, input: x)
        #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "\(got) vs \(want)")
        print(r.report.table())
    }

    @Test func subtractionFromABroadcastOperandAndPaddingAreExact() throws {
        // y = Relu(Pad(c - x)): c [4] broadcasts onto x [1, 2, 4] (swapped and negated), and
        // the zero Pad (2 before, 1 after on the last axis) becomes a one-hot depthwise conv.
        let pads = ONNXBuild.int64Tensor("pads", [6], [0, 0, 2, 0, 0, 1])
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("Sub", ["c", "x"], ["d"], name: "sub"), ONNXBuild.node("Pad", ["d", "pads"], ["p"], name: "pad"),
                    ONNXBuild.node("Relu", ["p"], ["y"], name: "relu")],
            inputs: [ONNXBuild.value("x", [1, 2, 4])], outputs: ["y"],
            initializers: [ONNXBuild.tensor("c", [4], [0.1, -2.5, 3, 1e-8]), pads])
        let r = try Self.convert(m)
        // The report gives the rewrite's reason for the convolution it made.
        let pad = try #require(r.report.layers.first { $0.node == "Conv 'pad'" })
        #expect(pad.kernel == .float && pad.reason == "zero padding as a depthwise convolution with a one-hot kernel (exact)")
        let x: [Float] = [0.3, 1.7, -2.2, 5e-9, 4, -0.125, 3, 7]
        let c: [Float] = [0.1, -2.5, 3, 1e-8]
        let y = try ConvertFixturesTests.run(r.model, input: x)
        var want = [Float](repeating: 0, count: 14)
        for ch in 0..<2 { for t in 0..<4 { want[ch * 7 + 2 + t] = max(c[t] - x[ch * 4 + t], 0) } }
        #expect(y.map(\.bitPattern) == want.map(\.bitPattern), "\(y) vs \(want)")
    }

    /// Clip with its max left out (torch.clamp(x, min=0)) or its min left out converts to a file the
    /// runtime runs, with the missing bound open; a NaN bound is refused by name. (The ONNX fuzz
    /// target found the converter writing max = inf, which the runtime then refused.)
    @Test func clipWithABoundLeftOut() throws {
        let x: [Float] = [-1e30, -2, -0.5, 0, 0.5, 3, 9, 1e30]
        for (inputs, lo, hi) in [(["x", "lo"], Float(0), Float.infinity), (["x", "", "hi"], -Float.infinity, Float(3))] {
            let m = ONNXBuild.model(nodes: [ONNXBuild.node("Clip", inputs, ["y"], name: "clamp")],
                                    inputs: [ONNXBuild.value("x", [1, 8])], outputs: ["y"],
                                    initializers: [ONNXBuild.tensor("lo", [], [0]), ONNXBuild.tensor("hi", [], [3])])
            let y = try ConvertFixturesTests.run(try Self.convert(m).model, input: x)
            #expect(y == x.map { $0 < lo ? lo : ($0 > hi ? hi : $0) }, "\(inputs): \(y)")
        }
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Clip", ["x", "lo"], ["y"], name: "clamp")],
                                inputs: [ONNXBuild.value("x", [1, 8])], outputs: ["y"],
                                initializers: [ONNXBuild.tensor("lo", [], [.nan])])
        #expect { _ = try Self.convert(m) } throws: { "\($0)".contains("Clip 'clamp'") && "\($0)".contains("neither NaN") }
    }

    @Test func absAndMeanOverTheLastAxis() throws {
        let m = ONNXBuild.model(
            nodes: [ONNXBuild.node("Abs", ["x"], ["a"], name: "abs"),
                    ONNXBuild.node("ReduceMean", ["a", "axes"], ["y"], name: "mean", attributes: [ONNXBuild.intAttribute("keepdims", 0)])],
            inputs: [ONNXBuild.value("x", [1, 3, 8])], outputs: ["y"],
            initializers: [ONNXBuild.int64Tensor("axes", [1], [-1])])
        let r = try Self.convert(m)
        let x: [Float] = (0..<24).map { Float($0 % 7) - 3.25 }
        let y = try ConvertFixturesTests.run(r.model, input: x)
        let want = (0..<3).map { row in (0..<8).map { Double(abs(x[row * 8 + $0])) }.reduce(0, +) / 8 }
        #expect(y.count == 3 && zip(y, want).allSatisfy { abs(Double($0) - $1) < 1e-6 })
    }
}
