// Toolchain/corrupt-models: random corruptions of model files, each loaded and run in a forked
// child (see Trial) with a time limit; outcomes tallied per model. Files that crash, hang, or are
// accepted with a different output are kept in the findings folder with what was done to them.
import Glibc
import EdgePackFormat
import EdgePackRuntime

struct Options {
    var count = 1000
    var seed: UInt64 = 1
    var resum = false
    var timeout: UInt32 = 10
    var findings = ".build/corrupt/findings"
    var models: [String] = []

    static let usage = """
        usage: Toolchain/corrupt-models [--count N] [--seed S] [--timeout SECONDS] [--resum] [--findings DIR] MODEL.epk...
          --resum   make each damaged file's checksum right before loading it: tests what the verifier
                    alone refuses (a different output is then expected when weights change; crashes
                    and hangs are still defects)
        """

    static func parse(_ args: [String]) -> Options {
        var o = Options()
        var k = 0
        var defaults: [String] = []
        func value() -> String {
            k += 1
            guard k < args.count else { fail("\(args[k - 1]) needs a value") }
            return args[k]
        }
        while k < args.count {
            switch args[k] {
            case "--count": guard let n = Int(value()), n > 0 else { fail("--count wants a positive number") }; o.count = n
            case "--seed": guard let n = UInt64(value()) else { fail("--seed wants a number") }; o.seed = n
            case "--timeout": guard let n = UInt32(value()), n > 0 else { fail("--timeout wants seconds > 0") }; o.timeout = n
            case "--findings": o.findings = value()
            case "--default-model": defaults.append(value())
            case "--resum": o.resum = true
            case "-h", "--help": print(usage); exit(0)
            case let a where a.hasPrefix("-"): fail("unknown option \(a)")
            default: o.models.append(args[k])
            }
            k += 1
        }
        if o.models.isEmpty { o.models = defaults }
        if o.models.isEmpty { fail("no model given") }
        return o
    }
}

func fail(_ message: String) -> Never {
    fputs("corrupt-models: \(message)\n\(Options.usage)\n", stderr)
    exit(64)
}

@main
enum Campaign {
    static func main() {
        let o = Options.parse(Array(CommandLine.arguments.dropFirst()))
        mkdir(o.findings, 0o755)
        var total = [Outcome: Int]()
        var defects = 0
        print("corruptions per model: \(o.count), seed \(o.seed), timeout \(o.timeout) s\(o.resum ? ", checksums made right (--resum)" : "")")
        for (m, path) in o.models.enumerated() {
            let tally = campaign(path, o, seed: o.seed &+ UInt64(m) &* 0x1_0000_0001)
            for (k, v) in tally { total[k, default: 0] += v }
            defects += tally[.crash, default: 0] + tally[.hang, default: 0] + (o.resum ? 0 : tally[.different, default: 0])
        }
        if o.models.count > 1 { print("all models: " + summary(total)) }
        exit(defects == 0 ? 0 : 1)
    }

    static func summary(_ t: [Outcome: Int]) -> String {
        Outcome.allCases.map { "\($0.label) \(t[$0, default: 0])" }.joined(separator: ", ")
    }

    static func campaign(_ path: String, _ o: Options, seed: UInt64) -> [Outcome: Int] {
        let original: [UInt8]
        let reference: Outputs
        let targets: Corruption.Targets
        do {
            let file = try MappedFile(path: path)
            original = Array(file.bytes)
            let model = try ModelFile(bytes: file.bytes)
            reference = try Trial.run(model)
            var inBuffer = [Bool](repeating: false, count: original.count)
            for b in model.buffers { for i in b.offset..<(b.offset + b.size) { inBuffer[i] = true } }
            targets = .init(size: original.count, structure: inBuffer.indices.filter { !inBuffer[$0] })
        } catch {
            fputs("corrupt-models: \(path): \(error)\n", stderr)
            return [.crash: 1]
        }
        // The comparison itself: the undamaged file must come out the same.
        guard runChild(original, o, reference) == .same else {
            fputs("corrupt-models: \(path): the undamaged model does not reproduce its own output\n", stderr)
            return [.crash: 1]
        }
        let name = String(path.split(separator: "/").last ?? "")
        print("\(name): \(original.count) bytes, \(targets.structure.count) outside constant buffers")
        var tally = [Outcome: Int]()
        let start = now()
        var lastReport = start
        for trial in 0..<o.count {
            var r = Random(seed: seed &+ UInt64(trial) &* 0x9E37_79B9)
            var bytes = original
            var what = ""
            while bytes == original { bytes = original; what = Corruption.apply(&bytes, targets, &r) }
            let outcome = runChild(bytes, o, reference)
            tally[outcome, default: 0] += 1
            if outcome == .crash || outcome == .hang || (outcome == .different && !o.resum) {
                keep(bytes, what, outcome, name: name, trial: trial, o)
            }
            if now() - lastReport > 30 {
                lastReport = now()
                print("  \(name): \(trial + 1)/\(o.count) after \(Int(lastReport - start)) s: " + summary(tally))
            }
        }
        print("\(name): \(o.count) corruptions in \(Int(now() - start)) s: " + summary(tally))
        return tally
    }

    static func runChild(_ bytes: [UInt8], _ o: Options, _ reference: Outputs) -> Outcome {
        fflush(stdout)
        let pid = fork()
        if pid == 0 {
            alarm(o.timeout)
            _exit(Trial.outcome(bytes, resum: o.resum, reference: reference).rawValue)
        }
        guard pid > 0 else { fputs("corrupt-models: fork failed\n", stderr); exit(70) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        if signal == SIGALRM { return .hang }
        if signal != 0 { return .crash }
        return Outcome(rawValue: (status >> 8) & 0xff).flatMap { $0.rawValue < 20 ? $0 : nil } ?? .crash
    }

    static func keep(_ bytes: [UInt8], _ what: String, _ outcome: Outcome, name: String, trial: Int, _ o: Options) {
        let file = "\(o.findings)/\(name)-\(trial)-\(outcome == .different ? "different" : outcome == .hang ? "hang" : "crash").epk"
        try? writeFile(path: file, bytes: bytes)
        print("  \(outcome.label): trial \(trial) (\(what)) -> \(file)")
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
