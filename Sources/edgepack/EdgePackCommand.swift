import ArgumentParser

struct EdgePackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgepack",
        abstract: "Binarized neural networks for ARMv8 edge boards: convert, inspect, run, benchmark.",
        subcommands: [ConvertCommand.self, VerifyCommand.self, InspectCommand.self, RunCommand.self, BenchCommand.self,
                      KWSCommand.self, KWSEvalCommand.self, PointCloudCommand.self, PCDCommand.self, SynthCommand.self])
}

/// Turns an AppError into ArgumentParser's failure path with the message on stderr.
func reportFailure(_ message: String) -> ExitCode {
    FileHandleOutput.stderr("error: " + message)
    return ExitCode(1)
}
