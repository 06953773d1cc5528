// libFuzzer target: the ONNX loader and the converter, as `edgepack convert` runs them on bytes
// (no external data: there is no folder). Whatever converts must be a model the runtime's
// verifier accepts and can plan.
import EdgePackConvert
import EdgePackFormat
import EdgePackRuntime
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard var graph = try? ONNXLoader.load(data: Data(bytes: data, count: size)) else { return 0 }
    var options = ConvertOptions()
    options.name = "fuzz"
    guard let result = try? Converter.convert(graph: &graph, source: "fuzz.onnx", options: options) else { return 0 }
    let model = UnsafeMutableRawBufferPointer.allocate(byteCount: max(result.model.count, 1), alignment: 64)
    defer { model.deallocate() }
    model.copyBytes(from: result.model)
    let bytes = UnsafeRawBufferPointer(rebasing: model[0..<result.model.count])
    do {
        _ = try Interpreter(model: try ModelFile(bytes: bytes))
    } catch {
        fatalError("the converter wrote a model the runtime refuses: \(error)")
    }
    return 0
}
