import EdgePackApp
import EdgePackHost
import Foundation
import Testing

// `bench --only binary|float` runs one execution mode alone (Toolchain/icount-bench counts each
// mode's instructions with it): the report names that mode only, with a figure per operator,
// on the host CLI and on the aarch64 build; any other mode is refused with a message.

@Suite("bench --only runs one execution mode", .serialized)
struct BenchOnlyTests {
    static let model: String = {
        let url = temporaryDirectory().appendingPathComponent("kws.epk")
        try! Data(SyntheticModels.randomKWS(seed: 5)).write(to: url)
        return url.path
    }()
    static let operatorCount = try! LoadedModel(path: model).model.operators.count
    static let cli = repoRoot.appendingPathComponent(".build/debug/edgepack").path

    func check(_ out: String, mode: String, other: String) throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let stats = try #require(json[mode] as? [String: Any], "no \(mode) section in \(out)")
        #expect(json[other] == nil, "--only \(mode) also reported \(other)")
        #expect((stats["median_ms"] as? Double).map { $0 >= 0 } == true)
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(layers.count == Self.operatorCount)
        #expect(layers.allSatisfy { $0["\(mode)_ms"] != nil && $0["\(other)_ms"] == nil })
    }

    @Test(arguments: [("binary", "float"), ("float", "binary")])
    func hostReportsOneMode(mode: String, other: String) throws {
        let (status, out, err) = try shell([Self.cli, "bench", Self.model, "--only", mode, "--iterations", "2", "--json"])
        #expect(status == 0, "\(err)")
        try check(out, mode: mode, other: other)
    }

    @Test func otherModesAreRefused() throws {
        let (status, _, err) = try shell([Self.cli, "bench", Self.model, "--only", "half"])
        #expect(status != 0)
        #expect(err.contains("--only must be binary or float"), "\(err)")
    }

    @Test(.enabled(if: deviceAvailable)) func deviceReportsOneMode() throws {
        let (status, out, err) = try runDevice(["bench", Self.model, "--only", "float", "--iterations", "1", "--json"])
        #expect(status == 0, "\(err)")
        try check(out, mode: "float", other: "binary")
        let (bad, _, badErr) = try runDevice(["bench", Self.model, "--only"])
        #expect(bad != 0 && badErr.contains("--only needs a value"), "\(badErr)")
    }

    /// Toolchain/icount-bench reports a positive per-inference count for each mode (the counts
    /// themselves are figures for the README, not asserted).
    @Test(.enabled(if: deviceAvailable)) func icountBenchCountsEachMode() throws {
        let script = repoRoot.appendingPathComponent("Toolchain/icount-bench").path
        let (status, out, err) = try shell([script, Self.model, "1"])
        #expect(status == 0, "\(err)")
        for mode in ["binary", "float"] {
            let line = try #require(out.split(separator: "\n").first { $0.hasPrefix(mode + " ") }, "no \(mode) line in \(out)")
            let count = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
            #expect((count ?? 0) > 0, "\(line)")
        }
        let (bad, _, badErr) = try shell([script, Self.model, "0"])
        #expect(bad == 2 && badErr.contains("N must be a positive integer"), "\(badErr)")
    }
}
