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
      bench MODEL.epk [--iterations N] [--only binary|float] [--json]
      kws --model MODEL.epk (--wav FILE | --raw -|FILE | --alsa DEVICE) [--threshold T] [--json] [--seconds S]
      kws-eval --model MODEL.epk --wav LONG.wav --labels LABELS.tsv [--json]
      pointcloud --model MODEL.epk (--pcd FILE | --stream -|FIFO | --dir DIR [--follow]) [--top K] [--json]
      pcd FILE.pcd [--npy OUT.npy] [--fields x,y,z]
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
            var only: ExecutionMode? = nil
            if let k = args.firstIndex(of: "--only") {
                guard k + 1 < args.count else { throw AppError("bench: --only needs binary or float") }
                only = try benchMode(args[k + 1])
            }
            let loaded = try LoadedModel(path: args[2])
            if let only {
                Console.out(try benchModel(loaded.model, mode: only, iterations: iterations, json: args.contains("--json")))
            } else {
                Console.out(try benchModel(loaded.model, iterations: iterations, json: args.contains("--json")))
            }
        case "kws", "kws-eval":
            var o = KWSOptions()
            var labels: String? = nil
            var sources = 0
            var i = 2
            while i < args.count {
                let a = args[i]
                if a == "--json" { o.json = true; i += 1; continue }
                guard i + 1 < args.count else { throw AppError("\(args[1]): \(a) needs a value") }
                let v = args[i + 1]
                switch a {
                case "--model": o.modelPath = v
                case "--wav": o.source = .wav(v); sources += 1
                case "--raw": o.source = .raw(v); sources += 1
                case "--alsa": o.source = .alsa(v); sources += 1
                case "--labels": labels = v
                case "--threshold": o.threshold = parseNumber(v).map { Float($0) }
                case "--stride": o.strideFrames = Int(v) ?? 1
                case "--average": o.averageCount = Int(v)
                case "--refractory": o.refractorySeconds = parseNumber(v)
                case "--period": o.periodFrames = Int(v) ?? 512
                case "--buffer": o.bufferFrames = Int(v) ?? 4096
                case "--seconds": o.maxSeconds = parseNumber(v)
                default: throw AppError("\(args[1]): unknown option \(a)")
                }
                i += 2
            }
            guard !o.modelPath.isEmpty else { throw AppError("\(args[1]): missing --model") }
            guard sources == 1 else { throw AppError("\(args[1]): give exactly one of --wav, --raw, --alsa") }
            if args[1] == "kws" { try kwsCommand(o) }
            else {
                guard let labels else { throw AppError("kws-eval: missing --labels") }
                try kwsEvalCommand(o, labelsPath: labels)
            }
        case "pointcloud":
            var o = PointCloudOptions()
            var sources = 0, follow = false
            var dir: String? = nil
            var i = 2
            while i < args.count {
                let a = args[i]
                if a == "--json" { o.json = true; i += 1; continue }
                if a == "--follow" { follow = true; i += 1; continue }
                guard i + 1 < args.count else { throw AppError("pointcloud: \(a) needs a value") }
                let v = args[i + 1]
                switch a {
                case "--model": o.modelPath = v
                case "--pcd": o.source = .file(v); sources += 1
                case "--stream": o.source = .stream(v); sources += 1
                case "--dir": dir = v; sources += 1
                case "--top": o.top = max(1, Int(v) ?? 3)
                default: throw AppError("pointcloud: unknown option \(a)")
                }
                i += 2
            }
            if let dir { o.source = .directory(dir, follow: follow) }
            guard !o.modelPath.isEmpty else { throw AppError("pointcloud: missing --model") }
            guard sources == 1 else { throw AppError("pointcloud: give exactly one of --pcd, --stream, --dir") }
            try pointCloudCommand(o)
        case "pcd":
            guard args.count >= 3 else { throw AppError("pcd: missing FILE.pcd") }
            var npy: String? = nil
            var fields = PCDInfo.defaultFields
            var i = 3
            while i + 1 < args.count {
                if args[i] == "--npy" { npy = args[i + 1] } else if args[i] == "--fields" { fields = PCDInfo.parseFieldList(args[i + 1]) }
                else { throw AppError("pcd: unknown option \(args[i])") }
                i += 2
            }
            return PCDInfo.run(path: args[2], npyPath: npy, fields: fields)
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
