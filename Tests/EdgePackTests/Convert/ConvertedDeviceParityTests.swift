import EdgePackApp
import EdgePackConvert
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
