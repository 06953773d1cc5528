// libFuzzer target: the PCD reader on the input as a file, and the stream splitter on it cut
// into reads of sizes taken from its first byte. Every frame the splitter hands out is read too.
import EdgePackPointCloud

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let cloud = try? PCDReader.read(bytes) {
        _ = try? cloud.floatMatrix(fields: [], dropInvalid: true)
    }
    _ = try? PCDStreamSplitter.frameLength(bytes, atEnd: false)
    var splitter = PCDStreamSplitter(maxFrameBytes: 1 << 20)
    let chunk = size > 0 ? Int(bytes[0]) % 61 + 1 : 1
    var at = 0
    var last = -1
    func drain() {
        while let event = splitter.next() {
            if case .frame(let start, let end, let offset) = event {
                precondition(offset > last, "frames out of order")
                last = offset
                splitter.withBuffer { raw in _ = try? PCDReader.read(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
            }
        }
    }
    while at < size {
        let end = min(size, at + chunk)
        splitter.append(UnsafeRawBufferPointer(rebasing: bytes[at..<end]))
        drain()
        at = end
    }
    splitter.finish()
    drain()
    return 0
}
