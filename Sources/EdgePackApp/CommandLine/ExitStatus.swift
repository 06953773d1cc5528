/// The exit statuses of both programs, for a supervisor (systemd, a shell script) to act on.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// The command could not do its work: a model or input could not be read or used.
    case failure = 1
    /// The command ran to its end, but at least one frame or file was skipped.
    case skipped = 2
    /// Unknown option, missing or invalid value, an output that would overwrite an input.
    case usage = 64
    /// Standard output or an output file could not be written.
    case output = 74

    public static let helpText = """
        exit status:
          0   success
          1   failed: a model or input could not be read or used (message on stderr)
          2   finished, but frames or files were skipped (each reported on stderr)
          64  usage error: unknown option, missing or invalid value, output that is an input
          74  output error: standard output or an output file could not be written
        """
}
