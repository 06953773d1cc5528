import Foundation
import Testing
import EdgePackRuntime
@testable import EdgePackConvert

@Suite struct VerifierTests {
    @Test func comparisonFlagsDeviationAndTop1() {
        let ref: [Float] = [0.1, 2.0, -1.0]
        #expect(Verifier.compare([0.1, 2.0, -1.0], ref, tolerance: 1e-4).withinTolerance)
        let off = Verifier.compare([0.1, 2.001, -1.0], ref, tolerance: 1e-4)
        #expect(!off.withinTolerance && off.top1Agrees && abs(off.maxAbsError - 0.001) < 1e-6)
        #expect(!Verifier.compare([3.0, 2.0, -1.0], ref, tolerance: 1e-4).top1Agrees)
        #expect(!Verifier.compare([0.1, 2.0], ref, tolerance: 1).withinTolerance)
        #expect(!Verifier.compare([0.1, .nan, -1.0], ref, tolerance: 1).withinTolerance)
    }

    /// onnxruntime through Python (EDGEPACK_PYTHON, as Toolchain/test sets it) against the
    /// converted model on random inputs.
    @Test func convertedFixtureAgreesWithOnnxruntime() throws {
        guard ProcessInfo.processInfo.environment["EDGEPACK_PYTHON"] != nil else {
            print("skipped: EDGEPACK_PYTHON is not set (Toolchain/setup-python makes .venv with onnxruntime)")
            return
        }
        let onnx = FixtureModelsFoldTests.directory.appendingPathComponent("irnet_vggsmall_dynamo.onnx").path
        let r = try Converter.convert(path: onnx)
        let inputs = Verifier.randomInputs(shape: [1, 3, 32, 32], count: 3, seed: 7)
        let want = try Verifier.onnxruntimeOutputs(onnx: onnx, inputs: inputs)
        let got = try Verifier.runtimeOutputs(model: r.model, inputs: inputs)
        for (g, w) in zip(got, want) {
            let s = Verifier.compare(g, w.data, tolerance: 1e-4)
            #expect(s.withinTolerance && s.top1Agrees, "max |Δ| \(s.maxAbsError)")
        }
    }
}
