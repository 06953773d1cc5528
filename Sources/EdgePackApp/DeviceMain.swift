import CEdgePackSys
import EdgePackFormat
import EdgePackRuntime

/// Entry point of the device program (`edgepack-device`), which has no argument-parser
/// package: the same commands and output as the host CLI for run, inspect and bench.
public func deviceMain(_ args: [String]) -> Int32 {
    let usage = """
    usage: edgepack-device <command> ...
      inspect MODEL.epk [--json]
      run MODEL.epk -i INPUT.npy [-i ...|--input NAME=PATH] -o OUTPUT.npy
      bench MODEL.epk [--iterations N] [--json]
      kernel-bench bgemm|gemm M N K ITERATIONS
    """
    guard args.count >= 2 else { Console.err(usage); return 2 }
    do throws(AppError) {
        switch args[1] {
        case "inspect":
            guard args.count >= 3 else { throw AppError("inspect: missing MODEL.epk") }
            let loaded = try LoadedModel(path: args[2])
            Console.out(try inspectModel(loaded.model, json: args.contains("--json")))
        case "run":
            guard args.count >= 3 else { throw AppError("run: missing MODEL.epk") }
            var inputs: [(name: String?, path: String)] = []
            var output: String? = nil
            var i = 3
            while i < args.count {
                let a = args[i]
                guard i + 1 < args.count else { throw AppError("run: \(a) needs a value") }
                switch a {
                case "-i": inputs.append((nil, args[i + 1]))
                case "--input":
                    let v = args[i + 1]
                    if let eq = v.firstIndex(of: "=") {
                        inputs.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
                    } else { inputs.append((nil, v)) }
                case "-o", "--output": output = args[i + 1]
                default: throw AppError("run: unknown option \(a)")
                }
                i += 2
            }
            guard let output else { throw AppError("run: missing -o OUTPUT.npy") }
            let loaded = try LoadedModel(path: args[2])
            try runModel(loaded, inputs: inputs, outputPath: output)
        case "bench":
            guard args.count >= 3 else { throw AppError("bench: missing MODEL.epk") }
            var iterations = 20
            if let k = args.firstIndex(of: "--iterations"), k + 1 < args.count {
                guard let n = Int(args[k + 1]), n > 0 else { throw AppError("bench: --iterations needs a positive number") }
                iterations = n
            }
            let loaded = try LoadedModel(path: args[2])
            Console.out(try benchModel(loaded.model, iterations: iterations, json: args.contains("--json")))
        case "kernel-bench":
            Console.out(try kernelBench(Array(args[2...])))
        default:
            Console.err(usage)
            return 2
        }
    } catch {
        Console.err("error: " + error.message)
        return 1
    }
    return 0
}
