import EdgePackFormat
import EdgePackRuntime

/// `run`: feeds .npy inputs (positional, or by name), runs once, writes output 0 as .npy
/// (further outputs, if any, next to it as OUTPUT.N.npy).
public func runModel(_ loaded: LoadedModel, inputs: [(name: String?, path: String)], outputPath: String,
                     threads: Int = 1) throws(AppError) {
    let interp: Interpreter
    do { interp = try Interpreter(model: loaded.model, threads: threads) } catch { throw AppError(error) }
    guard inputs.count == interp.inputCount else {
        throw AppError("model has \(interp.inputCount) inputs, \(inputs.count) given")
    }
    var outputs: [String] = []
    for o in 0..<interp.outputCount { outputs.append(o == 0 ? outputPath : outputPath + "." + String(o) + ".npy") }
    for path in outputs { try refuseOverwritingInputs(output: path, inputs: [loaded.file.path] + inputs.map { $0.path }) }
    var used = [Bool](repeating: false, count: interp.inputCount)
    for (k, item) in inputs.enumerated() {
        var slot = k
        if let name = item.name {
            guard let s = (0..<interp.inputCount).first(where: { interp.inputName($0) == name }) else {
                var names = ""
                for i in 0..<interp.inputCount { names += (i > 0 ? ", " : "") + interp.inputName(i) }
                throw AppError("model has no input named '\(name)' (inputs: \(names))")
            }
            slot = s
        }
        guard !used[slot] else { throw AppError("input '\(interp.inputName(slot))' given twice") }
        used[slot] = true
        let array = try loadNPY(path: item.path)
        let want = interp.inputShape(slot)
        guard array.shape.reduce(1, *) == want.reduce(1, *), array.shape == want || array.shape.filter({ $0 != 1 }) == want.filter({ $0 != 1 }) else {
            throw AppError("\(item.path): shape \(shapeText(array.shape)) does not match input '\(interp.inputName(slot))' \(shapeText(want))")
        }
        do { try interp.setInput(slot, array.data) } catch { throw AppError(error) }
    }
    interp.invoke()
    for (o, path) in outputs.enumerated() {
        try saveNPY(path: path, NPYArray(shape: interp.outputShape(o), data: interp.output(o)))
    }
}
