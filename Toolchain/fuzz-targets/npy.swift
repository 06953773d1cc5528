// libFuzzer target: the .npy reader; whatever it accepts must encode and read back the same.
import EdgePackRuntime

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let array = try? NPY.parse(bytes, maxElements: 1 << 22) else { return 0 }
    let again = NPY.encode(array).withUnsafeBytes { try? NPY.parse($0) }
    precondition(again?.shape == array.shape, "shape changed on a round trip")
    return 0
}
