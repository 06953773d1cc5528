import EdgePackApp
import EdgePackRuntime

@_cdecl("edgepack_device_main")
public func edgepackDeviceMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var args: [String] = []
    for i in 0..<Int(argc) {
        if let p = argv[i] { args.append(PathText.decode(cString: p)) }   // a path keeps bytes that are not UTF-8
    }
    return deviceMain(args, commit: buildCommit)
}
