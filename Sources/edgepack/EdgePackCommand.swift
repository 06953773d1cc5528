import ArgumentParser

struct EdgePackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgepack",
        abstract: "Binarized neural networks for ARMv8 edge boards: convert, inspect, run, benchmark.",
        subcommands: [])
}
