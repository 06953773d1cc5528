import CEdgePackSys
import EdgePackAudio
import EdgePackRuntime

/// `kws --exec`: a shell command started for each detection, which it finds in its environment.
/// Starting one returns at once and children are reaped between audio reads, so a slow command
/// never holds up capture; at most `limit` run at a time (more would pile up behind a command
/// that hangs), and a detection arriving beyond that is reported and not passed on.
public final class DetectionCommand {
    public let command: String
    public let limit: Int
    public private(set) var running = 0

    public init(command: String, limit: Int = 16) {
        self.command = command
        self.limit = limit
    }

    /// The environment a command gets for `d`: EDGEPACK_KEYWORD, EDGEPACK_SCORE, EDGEPACK_TIME
    /// (seconds into the stream at the detection), EDGEPACK_START and EDGEPACK_END (the clip),
    /// EDGEPACK_CLASS and EDGEPACK_JSON (the line `--json` prints).
    public static func environment(_ d: Detection) -> [String] {
        ["EDGEPACK_KEYWORD=" + d.label, "EDGEPACK_SCORE=" + formatFixed(d.score, decimals: 4),
         "EDGEPACK_TIME=" + formatFixed(d.detectedAtSeconds, decimals: 3),
         "EDGEPACK_START=" + formatFixed(d.startSeconds, decimals: 3), "EDGEPACK_END=" + formatFixed(d.endSeconds, decimals: 3),
         "EDGEPACK_CLASS=" + String(d.classIndex), "EDGEPACK_JSON=" + detectionText(d, json: true)]
    }

    public func start(_ d: Detection) {
        reap()
        guard running < limit else {
            Console.err("--exec: \(running) commands still running; the detection at " + formatFixed(d.detectedAtSeconds, decimals: 3)
                        + " s is not passed on")
            return
        }
        // The entries as one buffer of NUL-terminated strings, and pointers into it.
        var storage: [CChar] = []
        var offsets: [Int] = []
        for entry in Self.environment(d) {
            offsets.append(storage.count)
            for b in entry.utf8 where b != 0 { storage.append(CChar(bitPattern: b)) }
            storage.append(0)
        }
        let pid = storage.withUnsafeBufferPointer { base in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { base.baseAddress! + $0 }
            return pointers.withUnsafeBufferPointer { p in
                PathText.withPath(command) { ep_spawn_shell($0, p.baseAddress, Int32(p.count)) }
            }
        }
        if pid < 0 { Console.err("--exec: cannot start /bin/sh: " + String(cString: ep_strerror(-pid))) }
        else { running += 1 }
    }

    /// Collects the commands that have finished, waiting up to `waitMs` for each; a failing one is
    /// reported on standard error.
    public func reap(waitMs: Int32 = 0) {
        while running > 0 {
            var status: Int32 = 0
            let pid = ep_reap_child(waitMs, &status)
            if pid <= 0 {
                if pid < 0 { running = 0 }     // none left (ECHILD)
                return
            }
            running -= 1
            if status != 0 { Console.err("--exec: the command exited with status \(status)") }
        }
    }

    /// At the end: waits up to `seconds` for the commands still running, then leaves them.
    public func finish(seconds: Int = 10) {
        let deadline = ep_monotonic_ns() + UInt64(seconds) * 1_000_000_000
        while running > 0 && ep_monotonic_ns() < deadline { reap(waitMs: 100) }
        if running > 0 { Console.err("--exec: \(running) commands still running at exit, not waited for") }
    }
}
