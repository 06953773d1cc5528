import Foundation
import PackagePlugin

/// Embeds the git commit in the host CLI: before every build, Toolchain/git-commit writes
/// `let buildCommit = "..."` (rewritten only when the commit changes). The device build calls
/// the same script, so both programs' `--version` report the commit the same way.
@main
struct GitCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let script = context.package.directoryURL.appendingPathComponent("Toolchain/git-commit")
        return [.prebuildCommand(displayName: "git commit for --version",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", "mkdir -p \"$1\" && /bin/sh \"$0\" \"$1/BuildCommit.swift\"", script.path, out.path],
                                 outputFilesDirectory: out)]
    }
}
