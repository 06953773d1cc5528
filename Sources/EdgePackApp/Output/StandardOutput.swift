import CEdgePackSys
import EdgePackRuntime

/// Standard output whose write errors are seen: results lost to a full disk or a closed pipe
/// end the command with exit status 74 instead of success.
public enum StandardOutput {
    /// Flushes standard output; throws when anything written so far could not be.
    public static func flush() throws(AppError) {
        let code = ep_stdout_flush_checked()
        if code != 0 { throw AppError(output: "cannot write standard output: " + String(cString: ep_strerror(code))) }
    }

    /// One line, written through at once (streaming results must reach a reader as they happen).
    public static func line(_ text: String) throws(AppError) {
        Console.out(text)
        try flush()
    }
}
