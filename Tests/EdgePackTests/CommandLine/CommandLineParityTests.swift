import EdgePackApp
import Foundation
import Testing

// Host CLI and device program take the same command line: the same bad values give the same
// message and exit status 64 on both, and each command's --help carries the shared text.

@Suite("Host and device command lines are the same", .serialized)
struct CommandLineParityTests {
    static let kws = ["kws", "--model", "missing.epk", "--wav", "missing.wav"]

    @Test(arguments: Program.available)
    func badValuesAreUsageErrorsNamingOptionAndValue(program: Program) throws {
        let cases: [([String], String)] = [
            (Self.kws + ["--threshold", "-1"], "--threshold must be between 0 and 1, got -1"),
            (Self.kws + ["--threshold", "abc"], "--threshold must be a number, got abc"),
            (Self.kws + ["--threshold", "0,5"], "--threshold must be a number, got 0,5"),
            (Self.kws + ["--threshold", "nan"], "--threshold must be a finite number, got nan"),
            (Self.kws + ["--average", "9223372036854775807"], "--average must be between 1 and 100, got 9223372036854775807"),
            (Self.kws + ["--refractory", "inf"], "--refractory must be a finite number, got inf"),
            (Self.kws + ["--seconds", "nan"], "--seconds must be a finite number, got nan"),
            (Self.kws + ["--seconds", "1e300"], "--seconds must be between 0 and 1000000000, got 1e300"),
            (Self.kws + ["--seconds", "abc"], "--seconds must be a number, got abc"),
            (Self.kws + ["--buffer", "256"], "--buffer must be at least --period (512), got 256"),
            (["kws", "--model", "m.epk"], "give exactly one of --wav, --raw, --alsa"),
            (["bench", "m.epk", "--iterations", "0"], "--iterations must be between 1 and 1000000, got 0"),
            (["bench", "m.epk", "--only", "half"], "--only must be binary or float, got half"),
            (["pointcloud", "--model", "m.epk", "--dir", "d", "--top", "0"], "--top must be between 1 and 1000, got 0"),
            (["pointcloud", "--model", "m.epk", "--pcd", "f.pcd", "--follow"], "--follow needs --dir"),
            (["kernel-bench", "bgemm", "64", "64", "0", "1"], "K must be between 1 and 16384, got 0"),
            (["run", "m.epk", "--input", "nameless.npy", "-o", "o.npy"], "--input must be NAME=PATH, got nameless.npy"),
        ]
        for (args, message) in cases {
            let (status, out, err) = try program.run(args)
            #expect(status == 64, "\(program) \(args): status \(status), \(err)")
            #expect(err.contains(message), "\(program) \(args): \(err)")
            #expect(out.isEmpty, "\(program) \(args) printed \(out)")
        }
    }

    @Test(arguments: Program.available)
    func helpOfEveryCommandIsTheSharedText(program: Program) throws {
        for command in AppCommand.allCases {
            let (status, out, err) = try program.run([command.spec.name, "--help"])
            #expect(status == 0, "\(program) \(command.spec.name) --help: \(err)")
            let text = collapsedWhitespace(out)
            #expect(text.contains(collapsedWhitespace(command.spec.abstract)), "\(program) \(command.spec.name)")
            for o in command.spec.arguments {
                #expect(text.contains(collapsedWhitespace(o.fullHelp)), "\(program) \(command.spec.name): no '\(o.fullHelp)'")
                for n in o.names { #expect(text.contains((n.count == 1 ? "-" : "--") + n), "\(program) \(command.spec.name): no \(n)") }
            }
            #expect(text.contains("74 output error"), "\(program) \(command.spec.name) --help lists no exit statuses")
        }
        let (status, out, _) = try program.run(["--help"])
        #expect(status == 0 && collapsedWhitespace(out).contains("64 usage error"))
        let (none, noneOut, noneErr) = try program.run([])
        #expect(none == 64 && noneOut.isEmpty && noneErr.contains("kws"), "\(program) without a command: \(none)")
    }

    @Test(.enabled(if: deviceAvailable)) func deviceHelpIsGeneratedFromTheDefinitions() throws {
        let (status, out, _) = try Program.device.run(["kws", "--help"])
        #expect(status == 0)
        #expect(out == KWSCommandLine.spec.helpText(program: "edgepack-device") + "\n")
        let (unknown, _, err) = try Program.device.run(["frobnicate"])
        #expect(unknown == 64 && err.contains("unknown command frobnicate"))
    }
}
