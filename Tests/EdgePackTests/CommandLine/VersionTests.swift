import EdgePackApp
import Foundation
import Testing

// `--version` names the release and the git commit the build was made from (embedded at build
// time, so a copied binary still knows it): the commit must be one git has in this repository.

@Suite("Version and commit")
struct VersionTests {
    @Test(arguments: Program.available)
    func versionNamesARealCommit(program: Program) throws {
        let (status, out, err) = try program.run(["--version"])
        #expect(status == 0, "\(err)")
        let line = out.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = program.name + " " + EdgePackVersion.number + " (commit "
        #expect(line.hasPrefix(prefix) && line.hasSuffix(")"), "\(line)")
        guard line.hasPrefix(prefix), line.hasSuffix(")") else { return }
        var commit = String(line.dropFirst(prefix.count).dropLast())
        if commit.hasSuffix("-dirty") { commit.removeLast(6) }
        #expect(commit.count == 12 && commit.allSatisfy { $0.isHexDigit }, "\(commit)")
        let (known, _, gitErr) = try shell(["git", "-C", repoRoot.path, "cat-file", "-e", commit + "^{commit}"])
        #expect(known == 0, "\(commit) is not a commit of this repository: \(gitErr)")
    }
}
