import ArgumentParser
import EdgePackApp

struct KernelBenchCommand: SharedCommand {
    typealias C = KernelBenchCommandLine
    static let shared = AppCommand.kernelBench
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.kernel)) var kernel: String
    @Argument(help: .shared(C.m)) var m: String
    @Argument(help: .shared(C.n)) var n: String
    @Argument(help: .shared(C.k)) var k: String
    @Argument(help: .shared(C.iterations)) var iterations: String

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.kernel, kernel); p.add(C.m, m); p.add(C.n, n); p.add(C.k, k); p.add(C.iterations, iterations)
        return p
    }
}
