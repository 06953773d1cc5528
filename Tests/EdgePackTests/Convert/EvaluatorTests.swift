import Foundation
import Testing
@testable import EdgePackConvert

/// The host evaluator against onnxruntime: every case in the fixtures is a constant subgraph
/// whose onnxruntime result (made by make_convert_fixtures.py) is stored next to it.
@Suite struct EvaluatorTests {
    /// Folds a fixture and compares every graph output with onnxruntime's value: bit for bit,
    /// except outputs named approx_* (Log, Exp, MatMul), which must be within `approxULP`.
    func checkFixture(_ name: String, approxULP: Int) throws {
        var (g, expected) = try ConvertFixtures.load(name)
        #expect(expected.count == g.outputs.count && !expected.isEmpty)
        let report = try ConstantFolding.run(&g)
        #expect(g.nodes.isEmpty, "unfolded: \(g.nodes.map(\.label))")
        #expect(report.notEvaluable.isEmpty)
        var approxExact = 0, approxTotal = 0
        for out in g.outputs {
            guard let want = expected[out.name] else { Issue.record("no expected value for \(out.name)"); continue }
            guard let got = g.initializers[out.name] else { Issue.record("\(out.name) not folded"); continue }
            #expect(got.shape == want.shape, "\(out.name): shape \(got.shape), onnxruntime \(want.shape)")
            #expect(got.dtype == want.dtype, "\(out.name): \(got.dtype), onnxruntime \(want.dtype)")
            switch (got.data, want.data) {
            case (.float32(let a), .float32(let b)) where a.count == b.count:
                let worst = zip(a, b).map { ulpDistance($0, $1) }.max() ?? 0
                if out.name.hasPrefix("approx_") {
                    approxTotal += a.count
                    approxExact += zip(a, b).filter { ulpDistance($0, $1) == 0 }.count
                    if out.name.contains("matmul") {
                        // Sums of products: the order (MLAS blocks) matters, compare absolutely.
                        let diff = zip(a, b).map { abs($0 - $1) }.max() ?? 0
                        #expect(diff <= 1e-5, "\(out.name): differs by \(diff) from onnxruntime")
                    } else {
                        #expect(worst <= approxULP, "\(out.name): \(worst) ulp from onnxruntime")
                    }
                } else {
                    // Bit-identical, including the sign of zero.
                    #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
                            "\(out.name): \(worst) ulp from onnxruntime; got \(a.prefix(8)), want \(b.prefix(8))")
                }
            default:
                #expect(got.data == want.data, "\(out.name): got \(got.data), onnxruntime \(want.data)")
            }
        }
        if approxTotal > 0 { print("\(name): \(approxExact)/\(approxTotal) approx_ elements bit-identical to onnxruntime") }
    }

    @Test func opset18CasesMatchOnnxruntime() throws {
        // Log/Exp: glibc (correctly rounded) vs the Eigen polynomials onnxruntime uses; they
        // differ by up to 2 ulp (IR-Net's round(log2(mean)) flips only within ~1e-6 of a tie).
        try checkFixture("eval_cases_opset18.onnx", approxULP: 2)
    }

    @Test func opset13AxesAttributesMatchOnnxruntime() throws {
        try checkFixture("eval_cases_opset13.onnx", approxULP: 0)
    }

    @Test func reductionPatternClassification() {
        #expect(ReductionPattern(shape: [16, 72], axes: [1]) == .rows(count: 16, length: 72))
        #expect(ReductionPattern(shape: [1, 8, 72], axes: [2]) == .rows(count: 8, length: 72))
        #expect(ReductionPattern(shape: [8, 3, 3, 3], axes: [1, 2, 3]) == .rows(count: 8, length: 27))
        #expect(ReductionPattern(shape: [3, 50], axes: [0, 1]) == .all)
        #expect(ReductionPattern(shape: [6, 7, 8], axes: [0, 2]) == .blocks(outer: 6, kept: 7, inner: 8))
        #expect(ReductionPattern(shape: [8, 6, 5], axes: [0]) == .other)
        #expect(ReductionPattern(shape: [4, 5, 6, 7], axes: [1, 3]) == .other)
        #expect(ReductionPattern(shape: [4, 5, 6], axes: [1]) == .middle(outer: 4, reduced: 5, inner: 6))
        #expect(ReductionPattern(shape: [8, 3, 3, 3], axes: [1, 2]) == .middle(outer: 8, reduced: 9, inner: 3))
    }

    @Test func roundsHalvesToEven() throws {
        let n = Node(name: "r", opType: "Round", inputs: ["x"], outputs: ["y"])
        let x = Tensor(shape: [6], floats: [0.5, 1.5, 2.5, -0.5, -1.5, 2.5000002])
        let y = try Evaluator.evaluate(n, inputs: [x], opset: 18)[0]
        #expect(y.floats == [0, 2, 2, -0, -2, 3])
    }

    @Test func errorsNameTheNodeAndProblem() {
        let n = Node(name: "bad_reshape", opType: "Reshape", inputs: ["x", "s"], outputs: ["y"])
        let x = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        #expect {
            _ = try Evaluator.evaluate(n, inputs: [x, Tensor.vector([4, -1])], opset: 18)
        } throws: { e in
            let d = "\(e)"
            return d.contains("Reshape 'bad_reshape'") && d.contains("cannot reshape [2, 3]")
        }
        let div = Node(name: "d", opType: "Div", inputs: ["a", "b"], outputs: ["y"])
        #expect(throws: EvalError.self) {
            _ = try Evaluator.evaluate(div, inputs: [Tensor.vector([1]), Tensor.vector([0])], opset: 18)
        }
        let mixed = Node(name: "m", opType: "Add", inputs: ["a", "b"], outputs: ["y"])
        #expect {
            _ = try Evaluator.evaluate(mixed, inputs: [Tensor.scalar(1), Tensor.vector([1])], opset: 18)
        } throws: { e in "\(e)".contains("equal element types") }
    }
}
