import ArgumentParser
import EdgePackApp
import EdgePackRuntime

struct PointCloudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pointcloud", abstract: "Classify point-cloud frames (PCD) from a file, a stream or a directory.")

    @Option(help: "Point-cloud model (.epk with point-cloud metadata).") var model: String
    @Option(help: "One PCD file.") var pcd: String?
    @Option(help: "Concatenated PCD frames from a stream: - for stdin, or a FIFO.") var stream: String?
    @Option(help: "A directory of .pcd frames, processed in name order.") var dir: String?
    @Flag(help: "With --dir: keep watching for new frames.") var follow = false
    @Option(help: "Classes to print per frame.") var top = 3
    @Flag(help: "JSON lines, then a summary.") var json = false

    func validate() throws {
        guard [pcd, stream, dir].compactMap({ $0 }).count == 1 else { throw ValidationError("give exactly one of --pcd, --stream, --dir") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        var o = PointCloudOptions()
        o.modelPath = model; o.top = top; o.json = json
        if let pcd { o.source = .file(pcd) } else if let stream { o.source = .stream(stream) }
        else if let dir { o.source = .directory(dir, follow: follow) }
        do { try pointCloudCommand(o) } catch { throw reportFailure(error.message) }
    }
}

struct PCDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcd", abstract: "Print a PCD file's header; write chosen fields of its valid points as an N×F float32 .npy.")

    @Argument(help: "PCD file.") var file: String
    @Option(help: "Output .npy of the selected fields.") var npy: String?
    @Option(help: "Comma-separated fields (default x,y,z).") var fields = "x,y,z"

    func run() throws {
        let status = PCDInfo.run(path: file, npyPath: npy, fields: PCDInfo.parseFieldList(fields))
        if status != 0 { throw ExitCode(status) }
    }
}
