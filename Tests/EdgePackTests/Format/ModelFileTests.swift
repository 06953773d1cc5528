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
            let conv = try BinaryConvOptions(decoding: #require(m.operators[2].options))
            let p = conv.conv, cin = conv.inputChannels
            #expect(cin == 70 && p.strideH == 2 && p.padBottom == 1 && p.activation.kind == .clip && p.activation.clipMax == 1)
            let reduce = try ReduceMaxOptions(decoding: #require(m.operators[12].options))
            #expect(reduce.axis == 1 && reduce.offset == -0.5)
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
    /// Random damage anywhere is caught by the whole-file checksum; damage whose checksum an
    /// attacker recomputed must meet the verifier and the operators' checks: never a crash, and
    /// whatever runs was accepted by every check.
    @Test func randomCorruptionsNeverCrash() throws {
        var rng = SplitMix64(seed: testSeed("corruption"))
        let bytes = SyntheticModels.allOps(seed: 9)
        var changed = 0, loadedAsIs = 0, caughtByChecksum = 0, rejected = 0, ran = 0
        for _ in 0..<4000 {
            var c = bytes
            // Most corruptions target the FlatBuffer, where the structure is.
            let region = rng.next() % 4 == 0 ? c.count : min(c.count, 4096)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(region))
                c[at] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
            }
            guard c != bytes else { continue }
            changed += 1
            do {
                _ = try c.withUnsafeBytes { try ModelFile(bytes: $0) }
                loadedAsIs += 1
            } catch {
                caughtByChecksum += (error as? ModelError)?.message.contains("checksum") == true ? 1 : 0
            }
            // The same damage with a valid checksum.
            guard let at = try? c.withUnsafeBytes({ try ModelFile.checksumOffset($0) }), at + 4 <= c.count else { rejected += 1; continue }
            let crc = c.withUnsafeBytes { ModelFile.checksum($0, excluding: at) }
            withUnsafeBytes(of: crc.littleEndian) { for k in 0..<4 { c[at + k] = $0[k] } }
            do {
                try c.withUnsafeBytes { raw in
                    let interp = try Interpreter(model: try ModelFile(bytes: raw))
                    interp.invoke()
                    ran += 1
                }
            } catch is ModelError {
                rejected += 1
            } catch is RuntimeError {
                rejected += 1
            }
        }
        print("corruptions: \(changed) changed files, \(caughtByChecksum) refused by the checksum; re-checksummed: \(rejected) rejected, \(ran) ran")
        // Every changed file fails to load as it is: the checksum or an earlier check refuses it.
        #expect(loadedAsIs == 0)
        // Damage the structure allows (values, options, weights) is what only the checksum sees.
        #expect(caughtByChecksum > 0)
        #expect(rejected + ran == changed)
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
