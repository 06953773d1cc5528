import ArgumentParser
import EdgePackApp
import EdgePackRuntime

struct KernelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel-bench",
        abstract: "Time one GEMM kernel (bgemm: XNOR/popcount, gemm: float) on seeded M×N×K data.")

    @Argument(help: "bgemm or gemm.") var kernel: String
    @Argument var m: Int
    @Argument var n: Int
    @Argument var k: Int
    @Argument(help: "Calls to time.") var iterations: Int

    func run() throws {
        do { Console.out(try kernelBench([kernel, String(m), String(n), String(k), String(iterations)])) }
        catch { throw reportFailure(error.message) }
    }
}
