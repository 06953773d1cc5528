import ArgumentParser
import EdgePackApp
import Foundation

// ArgumentParser's main(), plus a last check that standard output took everything: results
// lost to a full disk or a closed pipe must not end in status 0.
do {
    var command = try EdgePackCommand.parseAsRoot()
    try command.run()
    try StandardOutput.flush()
} catch let error as AppError {
    exit(reportFailure(error).rawValue)
} catch let code as ExitCode {
    // A failing command has reported its error; a succeeding one must still have written everything.
    if code == .success { do { try StandardOutput.flush() } catch { exit(reportFailure(error).rawValue) } }
    EdgePackCommand.exit(withError: code)
} catch {
    EdgePackCommand.exit(withError: error)
}
