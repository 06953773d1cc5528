import CEdgePackSys

/// How far long work has got, as one line on standard error rewritten in place ("kws-eval: 42 %"),
/// only when standard error is a terminal: logs, pipes and the service's journal get nothing.
/// Rewritten when the whole percentage changes; erased when the work ends.
struct ProgressLine {
    let label: String
    let total: Int64
    let enabled: Bool
    private var shown = -1

    init(_ label: String, total: Int64) {
        self.label = label
        self.total = total
        enabled = total > 0 && ep_stderr_is_terminal() != 0
    }

    mutating func update(_ done: Int64) {
        guard enabled else { return }
        let percent = Int(min(done, total) * 100 / total)
        guard percent != shown else { return }
        shown = percent
        write("\r" + label + ": \(percent) %")
    }

    mutating func finish() {
        guard enabled, shown >= 0 else { return }
        shown = -1
        write("\r\u{1B}[K")  // carriage return, erase to the end of the line
    }

    private func write(_ text: String) {
        var t = text
        t.withUTF8 { ep_write_stderr(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) }
    }
}
