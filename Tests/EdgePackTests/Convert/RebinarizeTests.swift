import EdgePackFormat
import EdgePackRuntime
import Foundation
import Testing
@testable import EdgePackConvert

/// `convert --rebinarize` on BiFSMN's Vanilla weight form (Fixtures/rebinarize, made by
/// Datasets/fixtures/rebinarize.py): sign(w) times per-element or per-(out, in) magnitudes after
/// a Sign. The expected weight errors and the output of the network with sign(w)·mean|w| per
/// output channel come from torch, not from the converter.
@Suite struct RebinarizeTests {
    static let directory = ConvertFixtures.directory.appendingPathComponent("rebinarize")
    static let fixtures = ["vanilla_ts17", "vanilla_dynamo"]

    func convert(_ name: String, rebinarize: Bool) throws -> Converter.Result {
        var o = ConvertOptions()
        o.rebinarize = rebinarize
        return try Converter.convert(path: Self.directory.appendingPathComponent(name + ".onnx").path, options: o)
    }

    func npy(_ name: String) throws -> [Float] {
        try ConvertFixturesTests.npy(Self.directory.appendingPathComponent(name + ".npy").path).data
    }

    @Test(arguments: fixtures)
    func withoutTheFlagTheReportCountsWhatItWouldBinarize(_ name: String) throws {
        let r = try convert(name, rebinarize: false)
        #expect(r.report.binaryLayers == 0 && r.report.rebinarizable == 3 && r.report.rebinarized.isEmpty)
        #expect(r.report.table().contains("3 more layers would be binary with --rebinarize"))
        // Still exact: the float layers compute the ONNX's weights.
        let got = try ConvertFixturesTests.run(r.model, input: try npy(name + "_input"))
        let want = try npy(name + "_output")
        #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
    }

    @Test(arguments: fixtures)
    func rebinarizedLayersAreBinaryWithTheirErrorAndOutput(_ name: String) throws {
        let r = try convert(name, rebinarize: true)
        #expect(r.report.binaryLayers == 3 && r.report.rebinarizable == 0)
        let errors = try JSONDecoder().decode([Double].self, from: Data(contentsOf: Self.directory.appendingPathComponent(name + "_weight_errors.json")))
        let reported = r.report.rebinarized.compactMap(\.weightError)
        #expect(reported.count == errors.count)
        for (got, want) in zip(reported, errors) { #expect(abs(got - want) < 1e-5, "weight error \(got), torch \(want)") }
        #expect(r.report.table().contains("3 layers rebinarized (--rebinarize)"))
        let x = try npy(name + "_input")
        let got = try ConvertFixturesTests.run(r.model, input: x)
        let want = try npy(name + "_rebinarized_output"), onnx = try npy(name + "_output")
        let scale = want.map { abs($0) }.max() ?? 1
        let maxAbs = zip(got, want).map { abs($0 - $1) }.max() ?? .nan
        #expect(maxAbs <= 1e-4 * max(1, scale), "max |Δ| \(maxAbs) against torch's rebinarized network")
        // And it is an approximation: the ONNX's own output differs.
        #expect(zip(got, onnx).map { abs($0 - $1) }.max()! > 1e-3)
        #expect(try ModelFile.producer(of: r.model).hasSuffix(Converter.rebinarizeMark))
    }

    @Test(.enabled(if: deviceAvailable), arguments: fixtures)
    func rebinarizedModelRunsBitIdenticallyOnDevice(_ name: String) throws {
        let r = try convert(name, rebinarize: true)
        try expectSameBitsOnDevice(r.model, inputs: [Self.directory.appendingPathComponent(name + "_input.npy")], name)
    }

    /// BiFSMNv2 exported by dynamo with the optimizer on: the optimizer folded the straight-through
    /// weight quantizer, so fc1's and the first memory conv's weights are ±α only to the last ulp.
    /// --rebinarize takes them to ±mean|w| (an error of that rounding, listed once per two-pass
    /// layer) and all three LPB layers run as two binary passes, matching onnxruntime.
    @Test func optimizedBiFSMNv2WeightsRoundedByTheOptimizer() throws {
        let base = FixtureModelsFoldTests.directory.appendingPathComponent("bifsmnv2_twothreshold_dynamoopt").path
        var o = ConvertOptions()
        o.rebinarize = true
        let r = try Converter.convert(path: base + ".onnx", options: o)
        #expect(r.report.binaryLayers == 3, "\(r.report.table())")
        #expect(r.report.rebinarized.count == 2 && r.report.rebinarized.allSatisfy { $0.weightError! < 1e-6 }, "\(r.report.rebinarized.map(\.node))")
        try BinarizerFormsTests.agreesWithOnnxruntime(r, base: base, name: "bifsmnv2_twothreshold_dynamoopt --rebinarize")
    }
}

extension ModelFile {
    static func producer(of bytes: [UInt8]) throws -> String {
        try bytes.withUnsafeBytes { try ModelFile(bytes: $0).metadata.producer }
    }
}
