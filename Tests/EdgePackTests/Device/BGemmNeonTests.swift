import Foundation
import Testing

// The aarch64 binary GEMM (bgemm_neon.c, its chunk loop in assembly) against scalar popcounts, at
// shapes the bundled models never reach: rows over one 16-bit counting block, every count at its
// maximum, all tile edges. Built with the cross compiler and run under qemu-aarch64.
@Suite("aarch64 binary GEMM against scalar popcounts")
struct BGemmNeonTests {
    static let tools = which("aarch64-linux-gnu-gcc") && which("qemu-aarch64")

    @Test func toolsArePresentWhenRequired() {
        if requireDevice { #expect(Self.tools, "aarch64-linux-gnu-gcc or qemu-aarch64 missing") }
    }

    @Test(.enabled(if: tools))
    func everyShapeEqualsScalarPopcount() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bgemm-neon-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("check").path
        let shim = repoRoot.appendingPathComponent("Sources/CEdgePackSys")
        let (built, _, buildErr) = try shell([
            "aarch64-linux-gnu-gcc", "-O2", "-Wall", "-static", "-I", shim.appendingPathComponent("include").path,
            repoRoot.appendingPathComponent("Tests/EdgePackTests/Fixtures/bgemm_neon_check.c").path,
            shim.appendingPathComponent("bgemm_neon.c").path, "-o", program])
        try #require(built == 0, "cross build failed: \(buildErr)")
        let (status, out, err) = try shell(["qemu-aarch64", program])
        print(out, terminator: "")
        #expect(status == 0, "\(out)\(err)")
        #expect(out.hasSuffix("44 cases, 0 failed\n"))
    }
}
