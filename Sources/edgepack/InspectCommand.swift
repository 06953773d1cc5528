import ArgumentParser
import EdgePackApp
import EdgePackRuntime

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a model's metadata, operators, kernels, sizes and planned memory.")

    @Argument(help: "Model file (.epk).") var model: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        do {
            let loaded = try LoadedModel(path: model)
            Console.out(try inspectModel(loaded.model, json: json))
        } catch { throw reportFailure(error.message) }
    }
}
