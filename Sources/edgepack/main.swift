import ArgumentParser
import EdgePackApp
import EdgePackRuntime
import Foundation

// The arguments from argv's bytes, not CommandLine.arguments: that repairs bytes that are not
// UTF-8, and a path must keep them (PathText).
let arguments = (1..<Int(CommandLine.argc)).map { PathText.decode(cString: CommandLine.unsafeArgv[$0]!) }

// ArgumentParser's main(), plus a last check that standard output took everything: results
// lost to a full disk or a closed pipe must not end in status 0.
do {
    var command = try EdgePackCommand.parseAsRoot(arguments)
    try command.run()
    try StandardOutput.flush()
} catch let error as AppError {
    exit(reportFailure(error).rawValue)
} catch let code as ExitCode {
    // A failing command has reported its error; a succeeding one must still have written everything.
    if code == .success { do { try StandardOutput.flush() } catch { exit(reportFailure(error).rawValue) } }
    EdgePackCommand.exit(withError: code)
} catch {
    // Usage errors may quote an argument: printed here so that its bytes that are not UTF-8 show
    // as \xff. Help and version (status 0) go to standard output as swift-argument-parser prints them.
    let status = EdgePackCommand.exitCode(for: error)
    if status.isSuccess { EdgePackCommand.exit(withError: error) }
    FileHandleOutput.stderr(EdgePackCommand.fullMessage(for: error))
    exit(status.rawValue)
}
