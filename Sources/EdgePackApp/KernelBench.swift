import CEdgePackSys
import EdgePackPointCloud
import EdgePackRuntime

/// `kernel-bench bgemm|gemm M N K ITERATIONS`: runs one GEMM kernel on seeded data, for
/// instruction counting under qemu (run with 1 and 11 iterations, divide the difference by
/// 10·M·N·K) and for host throughput. Prints the time per call and a checksum of the result.
/// Sizes are checked by KernelBenchCommandLine.
public func kernelBench(_ kernel: String, m: Int, n: Int, k: Int, iterations iters: Int) -> String {
    var rng = SplitMixRandom(seed: 7)
    var checksum: Double = 0
    var elapsed: UInt64 = 0
    if kernel == "bgemm" {
        let words = (k + 63) / 64
        var a = [UInt64](repeating: 0, count: m * words), b = [UInt64](repeating: 0, count: n * words)
        for i in 0..<a.count { a[i] = rng.next() }
        for i in 0..<b.count { b[i] = rng.next() }
        var c = [Int32](repeating: 0, count: m * n)
        let start = ep_monotonic_ns()
        for _ in 0..<iters { bgemmPopcount(a, m: m, b, n: n, words: words, &c) }
        elapsed = ep_monotonic_ns() - start
        for v in c { checksum += Double(v) }
    } else {
        var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: n * k)
        for i in 0..<a.count { a[i] = rng.uniform() }
        for i in 0..<b.count { b[i] = rng.uniform() }
        var c = [Float](repeating: 0, count: m * n)
        // B plays the layer's weights: prepared once, as the interpreter does when it loads a model.
        var pa = [Float](repeating: 0, count: denseInputBytes(rows: m, n: n, k: k) / 4 + 1)
        var pb = b
        if densePackedWeightCount(rows: m, n: n, k: k) > 0 {
            pb = [Float](repeating: 0, count: densePackedWeightCount(rows: m, n: n, k: k))
            packDenseWeights(b, n: n, k: k, &pb)
        }
        let start = ep_monotonic_ns()
        for _ in 0..<iters { dense(a, rows: m, preparedWeights: pb, n: n, k: k, nil, &c, packedX: &pa) }
        elapsed = ep_monotonic_ns() - start
        for v in c { checksum += Double(v) }
    }
    let perCall = iters > 0 ? Double(elapsed) / Double(iters) / 1e6 : 0
    let macs = Double(m) * Double(n) * Double(k)
    let gops = iters > 0 ? macs / (Double(elapsed) / Double(iters)) : 0
    return "\(kernel) \(m)x\(n)x\(k): " + formatFixed(perCall, decimals: 3) + " ms/call, "
        + formatFixed(gops, decimals: 2) + " G MAC/s, checksum " + formatFixed(checksum, decimals: 1)
}
