import CEdgePackSys

/// Output that behaves the same in both builds (Embedded Swift has print, but no stderr).
public enum Console {
    public static func out(_ text: String) {
        var line = text
        line += "\n"
        line.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ep_write_stdout($0.baseAddress, $0.count) }
        }
    }

    /// Messages may quote a path: its bytes that are not UTF-8 (PathText) show as `\xff`.
    public static func err(_ text: String) {
        var line = PathText.escaped(text, controls: false)
        line += "\n"
        line.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ep_write_stderr($0.baseAddress, $0.count) }
        }
    }

    public static func flush() { ep_flush_stdout() }
}

/// Monotonic time in nanoseconds.
public func monotonicNanoseconds() -> UInt64 { ep_monotonic_ns() }
