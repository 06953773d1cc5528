import ArgumentParser
import EdgePackApp
import EdgePackRuntime

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a model on .npy inputs and write its output as .npy.")

    @Argument(help: "Model file (.epk).") var model: String
    @Option(name: .short, help: "Input .npy, in the model's input order (repeatable).") var i: [String] = []
    @Option(name: .customLong("input"), help: "NAME=PATH for a named input (repeatable).") var named: [String] = []
    @Option(name: .short, help: "Output .npy.") var o: String

    func run() throws {
        var inputs: [(name: String?, path: String)] = i.map { (nil, $0) }
        for item in named {
            guard let eq = item.firstIndex(of: "=") else { throw reportFailure("--input wants NAME=PATH, got '\(item)'") }
            inputs.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        do {
            let loaded = try LoadedModel(path: model)
            try runModel(loaded, inputs: inputs, outputPath: o)
        } catch { throw reportFailure(error.message) }
    }
}
