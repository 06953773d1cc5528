import EdgePackRuntime

/// Entry point of the device program (`edgepack-device`), which has no argument-parser package:
/// the shared commands (AppCommand.all) parsed by their shared definitions, so options, defaults,
/// help, validation messages and exit statuses are those of the host CLI. `commit` is the git
/// commit the build embedded.
public func deviceMain(_ args: [String], commit: String) -> Int32 {
    let program = "edgepack-device"
    guard args.count >= 2 else {
        Console.err(deviceHelp(program: program))
        return ExitStatus.usage.rawValue
    }
    if args[1] == "--help" || args[1] == "-h" || args[1] == "help" {
        Console.out(deviceHelp(program: program))
        return finish(.success)
    }
    if args[1] == "--version" {
        Console.out(EdgePackVersion.text(program: program, commit: commit))
        return finish(.success)
    }
    guard let command = AppCommand.allCases.first(where: { $0.spec.name == args[1] }) else {
        Console.err("error: unknown command " + args[1] + " (see " + program + " --help)")
        return ExitStatus.usage.rawValue
    }
    do throws(AppError) {
        let parsed = try command.spec.parse(args[2...])
        if parsed.helpRequested {
            Console.out(command.spec.helpText(program: program))
            return finish(.success)
        }
        return finish(try command.run(parsed))
    } catch {
        Console.err("error: " + error.message)
        if error.status == .usage { Console.err("see " + program + " " + args[1] + " --help") }
        return error.status.rawValue
    }
}

/// The status once everything printed has reached standard output.
private func finish(_ status: ExitStatus) -> Int32 {
    do { try StandardOutput.flush() } catch {
        Console.err("error: " + error.message)
        return error.status.rawValue
    }
    return status.rawValue
}

private func deviceHelp(program: String) -> String {
    var s = "usage: " + program + " <command> [options]   (" + program + " <command> --help for its options)\n\ncommands:\n"
    for c in AppCommand.allCases { s += "  " + padRight(c.spec.name, 14) + c.spec.abstract + "\n" }
    s += "\n  " + padRight("--version", 14) + "Print the version and the git commit it was built from.\n\n"
    return s + ExitStatus.helpText
}
