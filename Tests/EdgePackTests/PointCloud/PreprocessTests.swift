import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// Point preprocessing checked against computations written independently here, in Double.

@Suite("Point cloud preprocessing")
struct PreprocessTests {
    static func cloud(_ n: Int, seed: UInt64, invalidEvery: Int = 0) -> [Float] {
        var rng = TestRandom(seed)
        var xyz: [Float] = []
        for i in 0..<n {
            if invalidEvery > 0 && i % invalidEvery == 3 {
                xyz += [[Float.nan, 1, 2], [0, .infinity, 0], [1, 1, -.infinity]][i % 3]
            } else {
                xyz += [Float(rng.unit() * 8 - 1), Float(rng.unit() * 3 + 5), Float(rng.unit() * 0.5 - 20)]
            }
        }
        return xyz
    }

    @Test("SplitMix64 (SplitMixRandom) matches the published reference outputs")
    func splitmix() {
        var a = SplitMixRandom(seed: 0)
        #expect([a.next(), a.next(), a.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        // The test vector of the reference C implementation (seed 1234567).
        var b = SplitMixRandom(seed: 1_234_567)
        #expect([b.next(), b.next(), b.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    @Test("Random sampling: without replacement, ordered, deterministic, uniform")
    func randomSampling() {
        for (count, target) in [(1, 1), (10, 3), (1000, 1000), (5000, 1024), (2, 1)] {
            let idx = PointSampling.randomIndices(count: count, target: target, seed: 42)
            #expect(idx.count == target)
            #expect(zip(idx, idx.dropFirst()).allSatisfy { $0 < $1 }, "strictly increasing, so distinct")
            #expect(idx.allSatisfy { $0 >= 0 && $0 < count })
            #expect(idx == PointSampling.randomIndices(count: count, target: target, seed: 42))
        }
        #expect(PointSampling.randomIndices(count: 5000, target: 1024, seed: 1) != PointSampling.randomIndices(count: 5000, target: 1024, seed: 2))
        // Each point's inclusion frequency over many seeds: chi-square against target/count.
        let count = 50, target = 10, trials = 20000
        var hits = [Int](repeating: 0, count: count)
        for s in 0..<trials {
            for i in PointSampling.randomIndices(count: count, target: target, seed: UInt64(s)) { hits[i] += 1 }
        }
        let expected = Double(trials * target) / Double(count)
        let chi2 = hits.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        // 49 degrees of freedom: mean 49, 99.9th percentile ≈ 86.
        #expect(chi2 < 86, "chi-square \(chi2)")
    }

    @Test("Fewer points than N: every point once, then repeated in order")
    func repeats() {
        #expect(PointSampling.randomIndices(count: 3, target: 8, seed: 5) == [0, 1, 2, 0, 1, 2, 0, 1])
        #expect(PointSampling.farthestPointIndices(xyz: [0, 0, 0, 1, 1, 1], target: 3) == [0, 1, 0])
    }

    @Test("Farthest-point sampling equals a brute-force search")
    func farthestPoint() {
        let xyz = Self.cloud(400, seed: 8)
        let got = PointSampling.farthestPointIndices(xyz: xyz, target: 64)
        // Brute force: recompute each candidate's distance to every chosen point.
        var chosen = [0]
        while chosen.count < 64 {
            var best = -1, bestD = -1.0
            for i in 0..<400 {
                var d = Double.infinity
                for c in chosen {
                    var s = 0.0
                    for k in 0..<3 { s += pow(Double(xyz[i * 3 + k]) - Double(xyz[c * 3 + k]), 2) }
                    d = min(d, s)
                }
                if d > bestD { bestD = d; best = i }
            }
            chosen.append(best)
        }
        #expect(got == chosen)
        #expect(Set(got).count == 64)
    }

    /// Float64 reference of the pipeline: keep finite points, take the chosen ones, center, scale.
    static func reference(_ xyz: [Float], indices: (([Float]) -> [Int]), center: Bool, sphere: Bool) -> [[Double]] {
        var valid: [[Double]] = []
        for p in 0..<(xyz.count / 3) {
            let v = (0..<3).map { Double(xyz[p * 3 + $0]) }
            if v.allSatisfy({ $0.isFinite }) { valid.append(v) }
        }
        let flat = valid.flatMap { $0.map(Float.init) }
        var pts = indices(flat).map { valid[$0] }
        if center {
            let mean = (0..<3).map { k in pts.reduce(0.0) { $0 + $1[k] } / Double(pts.count) }
            pts = pts.map { p in (0..<3).map { p[$0] - mean[$0] } }
        }
        if sphere {
            let m = pts.map { sqrt($0[0] * $0[0] + $0[1] * $0[1] + $0[2] * $0[2]) }.max()!
            if m > 0 { pts = pts.map { $0.map { $0 / m } } }
        }
        return pts
    }

    @Test("Prepare: invalid points dropped, sampled, centered, unit sphere — against float64")
    func prepare() throws {
        let xyz = Self.cloud(3000, seed: 3, invalidEvery: 7)
        for fps in [false, true] {
            let options = PointCloudPrepOptions(numPoints: 256, farthestPointSampling: fps, seed: 77)
            let out = try PointCloudPreprocess.prepare(xyz: xyz, options: options, layout: .pointsByCoordinates)
            let ref = Self.reference(xyz, indices: { fps ? PointSampling.farthestPointIndices(xyz: $0, target: 256)
                                                          : PointSampling.randomIndices(count: $0.count / 3, target: 256, seed: 77) },
                                     center: true, sphere: true)
            var maxError = 0.0
            for p in 0..<256 { for k in 0..<3 { maxError = max(maxError, abs(Double(out[p * 3 + k]) - ref[p][k])) } }
            #expect(maxError < 1e-6, "fps \(fps): max error \(maxError)")
            // What the model relies on: finite, mean zero, farthest point on the unit sphere.
            #expect(out.allSatisfy { $0.isFinite })
            var norms: [Double] = []
            for p in 0..<256 {
                let x = Double(out[p * 3]), y = Double(out[p * 3 + 1]), z = Double(out[p * 3 + 2])
                norms.append((x * x + y * y + z * z).squareRoot())
            }
            #expect(abs(norms.max()! - 1) < 1e-6)
            for k in 0..<3 {
                var sum = 0.0
                for p in 0..<256 { sum += Double(out[p * 3 + k]) }
                #expect(abs(sum / 256) < 1e-6)
            }

            let transposed = try PointCloudPreprocess.prepare(xyz: xyz, options: options, layout: .coordinatesByPoints)
            var same = true
            for p in 0..<256 { for k in 0..<3 where transposed[k * 256 + p] != out[p * 3 + k] { same = false } }
            #expect(same, "[3, N] is the transpose of [N, 3]")
        }
    }

    @Test("Without centering and scaling the sampled points pass through unchanged")
    func passThrough() throws {
        let xyz = Self.cloud(100, seed: 4)
        let options = PointCloudPrepOptions(numPoints: 30, center: false, unitSphere: false, seed: 9)
        let out = try PointCloudPreprocess.prepare(xyz: xyz, options: options, layout: .pointsByCoordinates)
        let idx = PointSampling.randomIndices(count: 100, target: 30, seed: 9)
        #expect(out == idx.flatMap { xyz[($0 * 3)..<($0 * 3 + 3)] })
    }

    @Test("Small, empty and degenerate frames")
    func edges() throws {
        // 5 valid points for N = 12: tiled, then normalized over the tiled set.
        let xyz = Self.cloud(6, seed: 6, invalidEvery: 100)  // point 3 invalid
        let out = try PointCloudPreprocess.prepare(xyz: xyz, options: PointCloudPrepOptions(numPoints: 12), layout: .pointsByCoordinates)
        let ref = Self.reference(xyz, indices: { PointSampling.randomIndices(count: $0.count / 3, target: 12, seed: 1) }, center: true, sphere: true)
        #expect(ref.count == 12)
        #expect((0..<12).allSatisfy { p in (0..<3).allSatisfy { abs(Double(out[p * 3 + $0]) - ref[p][$0]) < 1e-6 } })
        #expect(Array(out[0..<3]) == Array(out[15..<18]), "point 0 repeats as point 5")
        // All points at one place: zeros, no division by zero.
        let same = try PointCloudPreprocess.prepare(xyz: [Float](repeating: 2.5, count: 30), options: PointCloudPrepOptions(numPoints: 4), layout: .pointsByCoordinates)
        #expect(same == [Float](repeating: 0, count: 12))
        #expect(throws: PreprocessError.noValidPoints(total: 2)) {
            try PointCloudPreprocess.prepare(xyz: [.nan, 0, 0, 0, .infinity, 0], options: PointCloudPrepOptions(), layout: .pointsByCoordinates)
        }
        #expect(throws: PreprocessError.badPointCount(0)) {
            try PointCloudPreprocess.prepare(xyz: [1, 2, 3], options: PointCloudPrepOptions(numPoints: 0), layout: .pointsByCoordinates)
        }
    }

    @Test("From a PCD frame: the xyz of valid points, whatever the encoding")
    func fromPCD() throws {
        let xyz = Self.cloud(500, seed: 12, invalidEvery: 5)
        let options = PointCloudPrepOptions(numPoints: 128, seed: 3)
        let direct = try PointCloudPreprocess.prepare(xyz: xyz, options: options, layout: .coordinatesByPoints)
        for encoding in [PCDEncoding.ascii, .binary, .binaryCompressed] {
            let file = PCDWriter.encodeXYZ(xyz, encoding: encoding)
            let prepared = try file.withUnsafeBytes { raw in
                try PointCloudPreprocess.prepare(cloud: try PCDReader.read(raw), options: options, layout: .coordinatesByPoints)
            }
            #expect(prepared == direct, "\(encoding.name)")
        }
    }
}
