import ArgumentParser
import EdgePackApp
import EdgePackHost
import EdgePackRuntime
import Foundation

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic model built in code (benchmark shapes, test graphs): " + SyntheticModels.names.joined(separator: ", "))

    @Argument(help: "Model name.") var name: String
    @Option(name: .short, help: "Output .epk.") var o: String
    @Option(help: "Weight seed.") var seed: UInt64 = 1

    func run() throws {
        guard let bytes = SyntheticModels.build(name, seed: seed) else {
            throw reportFailure("unknown synthetic model '\(name)' (have: \(SyntheticModels.names.joined(separator: ", ")))")
        }
        do { try writeFile(path: o, bytes: bytes) } catch { throw reportFailure(error.description, status: .output) }
    }
}
