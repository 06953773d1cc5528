import CEdgePackSys

/// Work split into parts that any thread may compute, in any order; every part writes its own
/// outputs with the same code as one thread would, so results do not depend on the thread count.
/// `entry` is a C function (no captured context: Embedded Swift) that calls `part` on the
/// value its context points to: `{ $0.unsafelyUnwrapped.assumingMemoryBound(to: Self.self).pointee.part($1) }`.
protocol ParallelWork {
    static var entry: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void { get }
    func part(_ index: Int)
}

/// The interpreter's threads: workers started once, when the interpreter is prepared.
public final class WorkerPool {
    public let threads: Int
    let pool: OpaquePointer?
    /// Work (see `parts`) below which a layer runs on one thread.
    let minimumWork: Int
    /// Layers run split across threads so far (tests check that splitting happened).
    public private(set) var splitRuns = 0

    /// Thread counts `--threads` accepts.
    public static let limit = 64
    /// The default: one thread per online core, at most `limit`.
    public static var onlineCores: Int { min(Int(ep_online_cores()), limit) }

    /// `threads` in 1...limit; 1 starts no thread. Threads that cannot be started (errno in the
    /// error) fail the interpreter rather than silently running on fewer.
    public init(threads: Int, minimumWork: Int? = nil) throws(RuntimeError) {
        guard threads >= 1 && threads <= WorkerPool.limit else {
            throw RuntimeError("thread count \(threads) is outside 1...\(WorkerPool.limit)")
        }
        self.threads = threads
        self.minimumWork = minimumWork ?? WorkerPool.defaultMinimumWork
        var error: Int32 = 0
        pool = ep_pool_create(Int32(threads), &error)
        if threads > 1 && pool == nil {
            throw RuntimeError("could not start \(threads - 1) worker threads: \(String(cString: ep_strerror(error)))")
        }
    }

    deinit { ep_pool_destroy(pool) }

    /// Runs `work.part(i)` for i in 0..<parts across the threads; returns when all are done.
    func run<W: ParallelWork>(_ work: W, parts: Int) {
        if parts < 2 || pool == nil {
            for i in 0..<parts { work.part(i) }
            return
        }
        splitRuns += 1
        var work = work
        withUnsafeMutablePointer(to: &work) { ep_pool_run(pool, W.entry, UnsafeMutableRawPointer($0), parts) }
    }

    /// Parts to split `count` items into, in multiples of `align`, when the work (`cost` per
    /// item, roughly multiply-adds) is worth waking the workers, else 1. Up to four parts a
    /// thread, claimed one at a time, so that a core busy with other work holds up less; none
    /// smaller than a quarter of the threshold, so that mid-size layers are not cut to crumbs.
    func parts(count: Int, align: Int, cost: Int) -> Int {
        let work = count * cost
        guard pool != nil, work >= minimumWork else { return 1 }
        return max(1, min(threads * 4, count / align, work / max(1, minimumWork / 4)))
    }

    /// Work below which a layer runs on one thread by default: a few hundred µs, many times the
    /// cost of waking the workers; the keyword spotter's and the digits model's layers (under
    /// 1M) stay on one thread, which measured faster for them on a shared 2-core host.
    public static let defaultMinimumWork = 1_000_000
}

/// The range of part `index` of `parts` over `count` items, boundaries on multiples of `align`
/// (the last part ends at `count`).
@inline(__always)
func partRange(_ index: Int, of parts: Int, count: Int, align: Int) -> Range<Int> {
    let blocks = (count + align - 1) / align
    let lo = blocks * index / parts * align, hi = blocks * (index + 1) / parts * align
    return min(lo, count)..<min(hi, count)
}
