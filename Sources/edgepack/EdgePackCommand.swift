import ArgumentParser
import EdgePackApp

struct EdgePackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgepack",
        abstract: "Binarized neural networks for ARMv8 edge boards: convert, inspect, run, benchmark.",
        discussion: ExitStatus.helpText,
        version: EdgePackVersion.text(program: "edgepack", commit: buildCommit),
        subcommands: [ConvertCommand.self, VerifyCommand.self, InspectCommand.self, RunCommand.self, BenchCommand.self,
                      KWSCommand.self, KWSEvalCommand.self, PointCloudCommand.self, PCDCommand.self, SynthCommand.self, KernelBenchCommand.self])

    /// No command given: the help, on stderr, as a usage error (the device program does the same).
    func run() throws {
        FileHandleOutput.stderr(Self.helpMessage())
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

/// Prints an error and gives the exit status that goes with it.
func reportFailure(_ message: String, status: ExitStatus = .failure) -> ExitCode {
    FileHandleOutput.stderr("error: " + message)
    return ExitCode(status.rawValue)
}

func reportFailure(_ error: AppError) -> ExitCode { reportFailure(error.message, status: error.status) }
