import ArgumentParser
import EdgePackApp

struct PointCloudCommand: SharedCommand {
    typealias C = PointCloudCommandLine
    static let shared = AppCommand.pointCloud
    static let configuration = CommandConfiguration(shared: C.spec)

    @Option(name: .shared(C.model), parsing: .unconditional, help: .shared(C.model)) var model: String
    @Option(name: .shared(C.pcd), parsing: .unconditional, help: .shared(C.pcd)) var pcd: String?
    @Option(name: .shared(C.stream), parsing: .unconditional, help: .shared(C.stream)) var stream: String?
    @Option(name: .shared(C.dir), parsing: .unconditional, help: .shared(C.dir)) var dir: String?
    @Flag(name: .shared(C.follow), help: .shared(C.follow)) var follow = false
    @Option(name: .shared(C.top), parsing: .unconditional, help: .shared(C.top)) var top: String?
    @Option(name: .shared(C.threads), parsing: .unconditional, help: .shared(C.threads)) var threads: String?
    @Flag(name: .shared(C.json), help: .shared(C.json)) var json = false

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.model, model); p.add(C.pcd, pcd); p.add(C.stream, stream); p.add(C.dir, dir)
        p.add(C.follow, flag: follow); p.add(C.top, top); p.add(C.json, flag: json); p.add(C.threads, threads)
        return p
    }
}

struct PCDCommand: SharedCommand {
    typealias C = PCDCommandLine
    static let shared = AppCommand.pcd
    static let configuration = CommandConfiguration(shared: C.spec)

    @Argument(help: .shared(C.file)) var file: String
    @Option(name: .shared(C.npy), parsing: .unconditional, help: .shared(C.npy)) var npy: String?
    @Option(name: .shared(C.fields), parsing: .unconditional, help: .shared(C.fields)) var fields: String?

    var given: ParsedCommandLine {
        var p = ParsedCommandLine()
        p.add(C.file, file); p.add(C.npy, npy); p.add(C.fields, fields)
        return p
    }
}
