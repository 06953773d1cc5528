// libFuzzer target: the model loader and verifier the CLI uses (ModelFile over the bytes), then
// the planner and interpreter. The whole-file checksum refuses nearly every mutated input, so
// each input is also tried with its checksum made right: what the verifier accepts then is what
// a crafted file could make the runtime do. Accepted models run once on a fixed input, in the
// binary and the float-reference modes.
import EdgePackFormat
import EdgePackRuntime

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Kernels read constants in place and rely on the file's 64-byte alignment, as a mapping has.
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 64)
    defer { copy.deallocate() }
    copy.copyMemory(from: UnsafeRawBufferPointer(start: data, count: size))
    let bytes = UnsafeRawBufferPointer(rebasing: copy[0..<size])
    if let model = try? ModelFile(bytes: bytes) { run(model); return 0 }
    guard let at = try? ModelFile.checksumOffset(bytes), at + 4 <= size else { return 0 }
    let crc = ModelFile.checksum(bytes, excluding: at)
    copy.storeBytes(of: crc.littleEndian, toByteOffset: at, as: UInt32.self)
    if let model = try? ModelFile(bytes: bytes) { run(model) }
    return 0
}

func run(_ model: ModelFile) {
    for mode in [ExecutionMode.binary, .floatReference] {
        guard let interp = try? Interpreter(model: model, mode: mode) else { continue }
        for i in 0..<interp.inputCount {
            interp.withInput(i) { buf in
                for k in buf.indices { buf[k] = Float((k &* 7919) % 2001 - 1000) / 1000 }
            }
        }
        interp.invoke()
        for o in 0..<interp.outputCount { _ = interp.output(o) }
    }
}
