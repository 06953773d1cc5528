import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

@Suite("Arena planning and NPY")
struct PlannerAndNPYTests {
    @Test func overlappingLifetimesNeverShareBytes() {
        var rng = SplitMix64(seed: testSeed("planner"))
        for _ in 0..<200 {
            let requests = (0..<(1 + Int(rng.next() % 30))).map { _ -> ArenaRequest in
                let a = Int(rng.next() % 20), b = Int(rng.next() % 20)
                return ArenaRequest(size: 1 + Int(rng.next() % 5000), first: min(a, b), last: max(a, b))
            }
            let plan = planArena(requests)
            #expect(plan.size <= plan.unshared)
            for i in requests.indices {
                #expect(plan.offsets[i] % arenaAlignment == 0)
                #expect(plan.offsets[i] + requests[i].size <= plan.size)
                for j in requests.indices where j > i {
                    let overlapInTime = requests[i].first <= requests[j].last && requests[j].first <= requests[i].last
                    let overlapInSpace = plan.offsets[i] < plan.offsets[j] + requests[j].size && plan.offsets[j] < plan.offsets[i] + requests[i].size
                    #expect(!(overlapInTime && overlapInSpace))
                }
            }
        }
    }

    @Test func reusesMemoryAlongAChain() throws {
        // A chain of 8 activations of 4 KiB each needs only two live at a time.
        let b = ModelBuilder(name: "chain")
        var x = b.addInput("x", shape: [1024])
        for i in 0..<8 {
            let y = b.addActivation("y\(i)", shape: [1024])
            b.addOperator(.relu, inputs: [x], outputs: [y])
            x = y
        }
        b.markOutput(x)
        try b.serialize().withUnsafeBytes { raw in
            let interp = try Interpreter(model: try ModelFile(bytes: raw))
            #expect(interp.arenaPlan.size == 2 * 4096)
            #expect(interp.arenaPlan.unshared == 9 * 4096)
        }
    }

    @Test func readsWhatNumpyWrites() throws {
        // Bytes as numpy 2.x writes np.save(np.arange(6, dtype='<f4').reshape(2, 3)).
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + Array(header.utf8)
        for v in 0..<6 { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } }
        let a = try bytes.withUnsafeBytes { try NPY.parse($0) }
        #expect(a.shape == [2, 3] && a.data == [0, 1, 2, 3, 4, 5])
        #expect(NPY.encode(a) == bytes)
    }

    @Test func malformedNPYIsNamed() {
        let good = NPY.encode(NPYArray(shape: [4], data: [1, 2, 3, 4]))
        func message(_ b: [UInt8]) -> String? {
            do { _ = try b.withUnsafeBytes { try NPY.parse($0) }; return nil } catch let e as NPYError { return e.description } catch { return "\(error)" }
        }
        #expect(message(Array(good.dropLast(3)))?.contains("needs 16") == true)
        #expect(message(Array(good.prefix(5)))?.contains("shorter") == true)
        var bigEndian = good
        if let r = String(decoding: good, as: UTF8.self).range(of: "<f4") {
            let at = String(decoding: good, as: UTF8.self).utf8.distance(from: String(decoding: good, as: UTF8.self).utf8.startIndex, to: r.lowerBound)
            bigEndian[at] = UInt8(ascii: ">")
        }
        #expect(message(bigEndian)?.contains("not supported") == true)
        var fortran = NPY.encode(NPYArray(shape: [4], data: [0, 0, 0, 0]))
        let key = Array("False".utf8)
        if let at = (0..<(fortran.count - 5)).first(where: { Array(fortran[$0..<($0 + 5)]) == key }) {
            fortran.replaceSubrange(at..<(at + 5), with: Array("True ".utf8))
        }
        let m = message(fortran)
        #expect(m?.contains("Fortran") == true)
    }
}
