import EdgePackApp
import EdgePackConvert
import EdgePackRuntime
import Foundation
import Testing

/// Converted fixtures give the same output bits on the aarch64 build (under qemu-aarch64) as on
/// the host build (see Device/DeviceParityTests.swift for the device program).
@Suite struct ConvertedDeviceParityTests {
    /// Every fixture that converts today.
    static let models = FixtureModelsFoldTests.models.map { String($0.dropLast(5)) }
        .filter { m in !ConvertFixturesTests.knownGaps.keys.contains { m.hasPrefix($0) } }

    @Test(.enabled(if: deviceAvailable), arguments: models)
    func convertedModelRunsBitIdenticallyOnDevice(_ name: String) throws {
        try check(name, in: FixtureModelsFoldTests.directory)
    }

    /// The straight-through binarizer fixtures (Fixtures/binarizers), all exporters.
    @Test(.enabled(if: deviceAvailable), arguments: BinarizerFormsTests.exact + BinarizerFormsTests.pointNets)
    func binarizerFixtureRunsBitIdenticallyOnDevice(_ name: String) throws {
        try check(name, in: BinarizerFormsTests.directory)
    }

    /// The BiBench operator networks that convert (Fixtures/bibench; FDA's with SIN).
    @Test(.enabled(if: deviceAvailable), arguments: BiBenchOperatorTests.binary + BiBenchOperatorTests.fda)
    func bibenchFixtureRunsBitIdenticallyOnDevice(_ name: String) throws {
        try check(name, in: BiBenchOperatorTests.directory)
    }

    /// SIN and COS on values of every exponent up to the largest float (the 2/π reduction above
    /// 2^19, the double one below) give the host's bits on the device.
    @Test(.enabled(if: deviceAvailable))
    func sinAndCosOfEveryExponentRunBitIdenticallyOnDevice() throws {
        let values: [Float] = (-30...127).flatMap { e in [Float(sign: .plus, exponent: e, significand: 1.37), Float(sign: .minus, exponent: e, significand: 1.91)] }
        let nodes = [ONNXBuild.node("Sin", ["x"], ["s"], name: "sin"), ONNXBuild.node("Cos", ["x"], ["c"], name: "cos"),
                     ONNXBuild.node("Concat", ["s", "c"], ["y"], name: "both", attributes: [ONNXBuild.intAttribute("axis", 1)])]
        let m = ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, values.count])], outputs: ["y"])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        let r = try Converter.convert(graph: &g, source: "trig.onnx", options: ConvertOptions())
        let input = temporaryDirectory().appendingPathComponent("trig_input.npy")
        try Data(NPY.encode(NPYArray(shape: [1, values.count], data: values))).write(to: input)
        try expectSameBitsOnDevice(r.model, inputs: [input], "trig")
    }

    func check(_ name: String, in fixtures: URL) throws {
        let r = try Converter.convert(path: fixtures.appendingPathComponent(name + ".onnx").path)
        try expectSameBitsOnDevice(r.model, inputs: [fixtures.appendingPathComponent(name + "_input.npy")], name)
    }
}

/// Runs a converted model on the host and on the aarch64 build (qemu) for each input file and
/// expects the same output bytes.
func expectSameBitsOnDevice(_ model: [UInt8], inputs: [URL], _ name: String) throws {
    let dir = temporaryDirectory()
    let modelURL = dir.appendingPathComponent(name + ".epk")
    try Data(model).write(to: modelURL)
    for (k, input) in inputs.enumerated() {
        let hostOut = dir.appendingPathComponent("host\(k).npy"), deviceOut = dir.appendingPathComponent("device\(k).npy")
        try runModel(try LoadedModel(path: modelURL.path), inputs: [(nil, input.path)], outputPath: hostOut.path)
        let (status, _, err) = try runDevice(["run", modelURL.path, "-i", input.path, "-o", deviceOut.path])
        #expect(status == 0, "device run failed: \(err)")
        #expect(try Data(contentsOf: hostOut) == Data(contentsOf: deviceOut), "host and device outputs differ for \(name), input \(k)")
    }
}
