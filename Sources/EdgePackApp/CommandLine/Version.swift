/// The release both programs report; the git commit is embedded by each build (the host's
/// GitCommit plugin, Toolchain/build-device for the device).
public enum EdgePackVersion {
    public static let number = "0.1.0"

    /// `edgepack 0.1.0 (commit 9e483a2c1f0b)`
    public static func text(program: String, commit: String) -> String {
        program + " " + number + " (commit " + commit + ")"
    }
}
