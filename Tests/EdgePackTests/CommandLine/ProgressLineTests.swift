import Foundation
import Testing

/// Long work reports progress on standard error only when that is a terminal: `script` gives the
/// program a pseudo-terminal, a pipe gives it none (a log or the service's journal).
@Suite("Progress on a terminal only")
struct ProgressLineTests {
    static let model = repoRoot.appendingPathComponent("Datasets/trained/kws_bifsmn.epk").path
    static let wav = repoRoot.appendingPathComponent("Datasets/trained/kws_test_stream.wav").path
    static let labels = repoRoot.appendingPathComponent("Datasets/trained/kws_test_stream.tsv").path

    /// What a terminal shows of the command's standard error (standard output discarded).
    func onTerminal(_ command: [String]) throws -> String {
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let (status, shown, _) = try shell(["script", "-qec", quoted + " > /dev/null", "/dev/null"])
        #expect(status == 0, "\(command) under script exited \(status)")
        return shown
    }

    @Test(arguments: Program.available)
    func bench(_ program: Program) throws {
        let args = ["bench", Self.model, "--iterations", "4"]
        let shown = try onTerminal(program.command + args)
        for mode in ["binary", "float"] {
            #expect(shown.contains("\rbench: \(mode) kernels: 0 %"), "\(program): \(shown.debugDescription)")
            #expect(shown.contains("\rbench: \(mode) kernels: 75 %"), "\(program): \(shown.debugDescription)")
        }
        #expect(shown.hasSuffix("\r\u{1B}[K"), "\(program): the line is erased at the end: \(shown.debugDescription)")
        let (status, _, err) = try program.run(args)
        #expect(status == 0)
        #expect(!err.contains("%"), "\(program): progress written to a pipe: \(err.debugDescription)")
    }

    /// The first 6 s of the bundled stream (a 44-byte PCM header, then samples): the debug CLI
    /// runs the model some 190 times, not 2,800.
    func shortStream() throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.wav)))
        let data = 6 * 16_000 * 2
        bytes = Array(bytes[0..<(44 + data)])
        func put(_ v: Int, at i: Int) { for k in 0..<4 { bytes[i + k] = UInt8((v >> (8 * k)) & 0xFF) } }
        put(36 + data, at: 4); put(data, at: 40)
        let path = temporaryDirectory().appendingPathComponent("six-seconds.wav").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func kwsEvalHost() throws {
        let args = ["kws-eval", "--model", Self.model, "--wav", try shortStream(), "--labels", Self.labels]
        let shown = try onTerminal(Program.host.command + args)
        #expect(shown.hasPrefix("\rkws-eval: 0 %"), "\(shown.debugDescription)")
        #expect(shown.contains("\rkws-eval: 50 %\r"), "\(shown.debugDescription)")
        #expect(shown.hasSuffix("\rkws-eval: 100 %\r\u{1B}[K"), "\(shown.debugDescription)")
        let (status, _, err) = try Program.host.run(args)
        #expect(status == 0)
        #expect(err.isEmpty, "progress written to a pipe: \(err.debugDescription)")
    }
}
