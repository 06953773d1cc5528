import Foundation
import Testing
@testable import EdgePackConvert

/// Weights beside the model (torch.onnx.export's default NAME.onnx.data): read from the model's
/// folder, every location, offset and length checked.
@Suite struct ExternalDataTests {
    static let fixture = BinarizerFormsTests.directory.appendingPathComponent("clip_default.onnx")

    /// The fixture and its data file copied to a fresh folder, the first external tensor's
    /// entries changed by `edit`; returns the model's path.
    func copy(editing edit: (inout [Onnx_StringStringEntryProto]) -> Void = { _ in }) throws -> String {
        let dir = temporaryDirectory()
        var m = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: Self.fixture))
        let i = try #require(m.graph.initializer.firstIndex { !$0.externalData.isEmpty })
        edit(&m.graph.initializer[i].externalData)
        try m.serializedData().write(to: dir.appendingPathComponent("m.onnx"))
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.fixture.path + ".data"), to: dir.appendingPathComponent("clip_default.onnx.data"))
        return dir.appendingPathComponent("m.onnx").path
    }

    func set(_ key: String, _ value: String) -> (inout [Onnx_StringStringEntryProto]) -> Void {
        { entries in
            entries.removeAll { $0.key == key }
            var e = Onnx_StringStringEntryProto(); e.key = key; e.value = value
            entries.append(e)
        }
    }

    @Test func readsTheDataBesideTheModel() throws {
        let g = try ONNXLoader.load(path: try copy())
        let m = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: Self.fixture))
        let external = m.graph.initializer.filter { !$0.externalData.isEmpty }
        #expect(external.count >= 3)
        // The bytes at each tensor's offset, decoded independently of the loader.
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture.path + ".data"))
        for t in external {
            let offset = Int(t.externalData.first { $0.key == "offset" }?.value ?? "0")!
            let n = t.dims.reduce(1, *)
            let want = (0..<Int(n)).map { k in Float(bitPattern: data[offset + 4 * k..<offset + 4 * k + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }) }
            #expect(g.initializers[t.name]?.floats == want, "\(t.name)")
        }
    }

    @Test func withoutAFolderTheDataIsRefused() throws {
        #expect { try ONNXLoader.load(data: try Data(contentsOf: Self.fixture)) } throws: { "\($0)".contains("keeps its data in the external file 'clip_default.onnx.data'") }
    }

    @Test(arguments: [
        ("location", "../clip_default.onnx.data", "relative path inside the model's folder"),
        ("location", "/etc/passwd", "relative path inside the model's folder"),
        ("location", "missing.data", "cannot read"),
        ("offset", "17000", "beyond the file's"),
        ("offset", "-4", "not a byte count"),
        ("length", "12", "the tensor's shape and type need"),
    ])
    func badEntriesAreNamed(key: String, value: String, message: String) throws {
        let path = try copy(editing: set(key, value))
        #expect { try ONNXLoader.load(path: path) } throws: { "\($0)".contains(message) }
    }

    @Test func aLinkOutOfTheFolderIsRefused() throws {
        let outside = temporaryDirectory().appendingPathComponent("w.data")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.fixture.path + ".data"), to: outside)
        let path = try copy(editing: set("location", "link.data"))
        try FileManager.default.createSymbolicLink(at: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("link.data"),
                                                   withDestinationURL: outside)
        #expect { try ONNXLoader.load(path: path) } throws: { "\($0)".contains("outside the model's folder") }
    }
}
