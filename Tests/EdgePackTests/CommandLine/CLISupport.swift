import Foundation

/// The two programs that share one command line: the host CLI (built by `swift build`) and the
/// aarch64 device program under qemu (when Toolchain/build-device has built it).
enum Program: String, CaseIterable, CustomStringConvertible {
    case host, device
    var description: String { rawValue }
    static var available: [Program] { deviceAvailable ? [.host, .device] : [.host] }

    static let hostBinary = repoRoot.appendingPathComponent(".build/debug/edgepack").path
    var name: String { self == .host ? "edgepack" : "edgepack-device" }
    var command: [String] { self == .host ? [Self.hostBinary] : [repoRoot.appendingPathComponent("Toolchain/run-device").path] }

    /// (status, stdout, stderr)
    func run(_ args: [String]) throws -> (Int32, String, String) { try shell(command + args) }

    /// Status and stderr with standard output on a full device.
    func runToFullDisk(_ args: [String]) throws -> (Int32, String) {
        let (status, _, err) = try shell(["sh", "-c", "exec \"$@\" > /dev/full", "sh"] + command + args)
        return (status, err)
    }
}

/// Whitespace runs as one space, so help wrapped by swift-argument-parser compares with the text.
func collapsedWhitespace(_ s: String) -> String {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
}
