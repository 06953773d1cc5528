import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

@Suite("Model file: decode, verification, corruption")
struct ModelFileTests {
    @Test func roundTripKeepsEveryField() throws {
        let bytes = SyntheticModels.allOps(seed: 3)
        try bytes.withUnsafeBytes { raw in
            let m = try ModelFile(bytes: raw)
            #expect(m.metadata.name == "all-ops")
            #expect(m.operators.count == 15)
            #expect(m.operators.map(\.opcode) == [.conv2d, .signPack, .binaryConv2d, .pool2d, .channelAffine, .reshape, .signPack,
                                                    .binaryConv1d, .add, .transpose, .signPack, .binaryGemm, .reduceMax, .gemm, .softmax])
            guard case .binaryConv(let p, let cin) = m.operators[2].options else { Issue.record("options"); return }
            #expect(cin == 70 && p.strideH == 2 && p.padBottom == 1 && p.activation.kind == .clip && p.activation.clipMax == 1)
            guard case .reduceMax(let axis, _, let offset) = m.operators[12].options else { Issue.record("options"); return }
            #expect(axis == 1 && offset == -0.5)
            for b in m.buffers { #expect(b.offset % 64 == 0) }
            let w2 = m.tensors.first { $0.name == "w2" }!
            #expect(w2.dtype == .bit && w2.shape == [40, 3, 3, 70] && w2.byteCount == 40 * 9 * 2 * 8)
        }
    }

    @Test func preprocessingMetadataRoundTrips() throws {
        let b = ModelBuilder(name: "meta")
        var a = AudioFrontEndSpec(); a.nMels = 40; a.hopLength = 160; a.labels = ["yes", "no"]; a.silenceLabel = 0; a.topDB = 80
        var p = PointCloudSpec(); p.numPoints = 512; p.farthestPointSampling = true; p.labels = ["a"]
        var i = ImageSpec(); i.height = 32; i.width = 32; i.mean = [0.5, 0.4, 0.3]; i.std = [0.2, 0.2, 0.2]
        b.audio = a; b.pointCloud = p; b.image = i
        let x = b.addInput("x", shape: [1, 4]); let y = b.addActivation("y", shape: [1, 4])
        b.addOperator(.relu, inputs: [x], outputs: [y]); b.markOutput(y)
        try b.serialize().withUnsafeBytes { raw in
            let m = try ModelFile(bytes: raw)
            #expect(m.audio == a); #expect(m.pointCloud == p); #expect(m.image == i)
        }
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = SyntheticModels.binaryDense(features: 100, seed: 5)
        var accepted: [Int] = []
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            do { _ = try prefix.withUnsafeBytes { try ModelFile(bytes: $0) }; accepted.append(length) } catch {}
        }
        #expect(accepted.isEmpty, "truncations accepted at lengths \(accepted.prefix(10))")
    }

    /// Random byte corruptions: each must give a ModelError or RuntimeError, or (when the change
    /// hits bytes that carry no meaning, such as a name) a model that still plans and runs.
    /// A crash or trap would end the test process.
    @Test func randomCorruptionsNeverCrash() throws {
        var rng = SplitMix64(seed: testSeed("corruption"))
        let bytes = SyntheticModels.allOps(seed: 9)
        var rejected = 0, ran = 0
        var reasons: [String: Int] = [:]
        for _ in 0..<4000 {
            var c = bytes
            // Most corruptions target the FlatBuffer (the data section is covered by the checksum).
            let region = rng.next() % 4 == 0 ? c.count : min(c.count, 4096)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(region))
                c[at] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                try c.withUnsafeBytes { raw in
                    let m = try ModelFile(bytes: raw)
                    let interp = try Interpreter(model: m)
                    interp.invoke()
                    ran += 1
                }
            } catch let e as ModelError {
                rejected += 1
                reasons[String(e.message.prefix(20)), default: 0] += 1
            } catch let e as RuntimeError {
                rejected += 1
                reasons[String(e.message.prefix(20)), default: 0] += 1
            }
        }
        print("corruptions: \(rejected) rejected, \(ran) still valid and ran")
        #expect(rejected + ran == 4000)
        #expect(rejected > 3000)
    }

    @Test func checksumCatchesWeightCorruption() throws {
        var bytes = SyntheticModels.binaryDense(features: 64, seed: 1)
        bytes[bytes.count - 3] ^= 0x10
        #expect(throws: ModelError.self) { try bytes.withUnsafeBytes { _ = try ModelFile(bytes: $0) } }
        do { _ = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) } } catch let e as ModelError {
            #expect(e.message.contains("checksum"))
        }
    }

    @Test func crcMatchesZlibKnownValue() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926)   // the CRC-32/ISO-HDLC check value
    }

    @Test func wrongIdentifierAndVersionAreNamed() throws {
        var bytes = SyntheticModels.binaryDense(features: 8, seed: 1)
        bytes[4] = UInt8(ascii: "X")
        do { _ = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }; Issue.record("accepted") } catch let e as ModelError {
            #expect(e.message.contains("identifier"))
        }
    }
}
