/// `pointcloud --model MODEL.epk (--pcd FILE | --stream -|FIFO | --dir DIR [--follow]) [--top K] [--json]`
public enum PointCloudCommandLine {
    public static let model = OptionSpec(["model"], .text(default: nil), valueName: "MODEL.epk",
                                         help: "Point-cloud model (.epk with point-cloud metadata)", required: true)
    public static let pcd = OptionSpec(["pcd"], .text(default: nil), valueName: "FILE", help: "One PCD file")
    public static let stream = OptionSpec(["stream"], .text(default: nil), valueName: "SOURCE",
                                          help: "Concatenated PCD frames from a stream: - for stdin, or a FIFO")
    public static let dir = OptionSpec(["dir"], .text(default: nil), valueName: "DIR",
                                       help: "A directory of .pcd frames, processed in name order")
    public static let follow = OptionSpec(["follow"], .flag, help: "With --dir: keep watching for new frames.")
    public static let top = OptionSpec(["top"], .integer(1...1000, default: 3), valueName: "K", help: "Classes to print per frame")
    public static let json = OptionSpec(["json"], .flag, help: "JSON lines, then a summary.")
    public static let threads = ThreadsOption.spec
    public static let spec = CommandSpec(
        "pointcloud", abstract: "Classify point-cloud frames (PCD) from a file, a stream or a directory.",
        arguments: [model, pcd, stream, dir, follow, top, json, threads], exactlyOne: [[pcd, stream, dir]])

    public static func options(_ p: ParsedCommandLine) throws(AppError) -> PointCloudOptions {
        var o = PointCloudOptions()
        o.modelPath = p.text(model) ?? ""
        if p.flag(follow) && !p.isGiven(dir) { throw AppError(usage: "--follow needs --dir") }
        if let path = p.text(pcd) { o.source = .file(path) }
        else if let path = p.text(stream) { o.source = .stream(path) }
        else if let path = p.text(dir) { o.source = .directory(path, follow: p.flag(follow)) }
        o.top = try p.integer(top) ?? o.top
        o.json = p.flag(json)
        o.threads = try ThreadsOption.count(p)
        return o
    }

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        try pointCloudCommand(try options(p))
    }
}
