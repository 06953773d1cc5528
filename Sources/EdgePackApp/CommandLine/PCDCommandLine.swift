/// `pcd FILE.pcd [--npy OUT.npy] [--fields x,y,z]`
public enum PCDCommandLine {
    public static let file = OptionSpec.argument("FILE.pcd", help: "PCD file.")
    public static let npy = OptionSpec(["npy"], .text(default: nil), valueName: "OUT.npy", help: "Output .npy of the selected fields")
    public static let fields = OptionSpec(["fields"], .text(default: "x,y,z"), valueName: "LIST", help: "Comma-separated fields")
    public static let spec = CommandSpec(
        "pcd", abstract: "Print a PCD file's header; write chosen fields of its valid points as an N×F float32 .npy.",
        arguments: [file, npy, fields])

    public static func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        try PCDInfo.run(path: p.text(file) ?? "", npyPath: p.text(npy), fields: PCDInfo.parseFieldList(p.text(fields) ?? ""))
    }
}
