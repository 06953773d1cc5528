import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

/// The operator set is declared three times by necessity: the schema (what files hold), the
/// runtime's table (what runs) and the converter's rules (what is produced). These tests fail
/// when the first two disagree on a name, a value or an options table; ConverterRuleTests
/// checks the converter's side.
@Suite("Operator set: schema and runtime agree")
struct OperatorSetTests {
    /// The schema's text between `<keyword> <name>` and the closing brace, one entry per line or comma.
    static func schemaBlock(_ header: String) throws -> [String] {
        let text = try String(contentsOf: repoRoot.appendingPathComponent("Schema/edgepack.fbs"), encoding: .utf8)
        let start = try #require(text.range(of: header))
        let open = try #require(text.range(of: "{", range: start.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "}", range: open.upperBound..<text.endIndex))
        return text[open.upperBound..<close.lowerBound]
            .split(separator: "\n")
            .map { $0.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" }   // drop // comments
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// conv2d -> CONV2D, binaryConv2d -> BINARY_CONV2D, logSoftmax -> LOG_SOFTMAX.
    static func schemaName(_ op: OpCode) -> String {
        var out = ""
        for ch in String(describing: op) {
            if ch.isUppercase { out += "_" }
            out += ch.uppercased()
        }
        return out
    }

    @Test func everySchemaOpcodeIsARuntimeOpcodeAndBack() throws {
        var schema: [String: UInt16] = [:]
        for entry in try Self.schemaBlock("enum OpCode : ushort") {
            let parts = entry.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(parts.count == 2, "schema entry '\(entry)'")
            schema[parts[0]] = try #require(UInt16(parts[1]))
        }
        let runtime = Dictionary(uniqueKeysWithValues: OpCode.allCases.map { (Self.schemaName($0), $0.rawValue) })
        #expect(schema == runtime)
    }

    /// Which schema table each opcode carries, as the schema's comments and tables document it.
    static let documentedOptions: [OpCode: String] = [
        .conv2d: "ConvOptions", .conv1d: "ConvOptions", .binaryConv2d: "BinaryConvOptions", .binaryConv1d: "BinaryConvOptions",
        .gemm: "GemmOptions", .binaryGemm: "BinaryGemmOptions", .signPack: "SignPackOptions",
        .channelAffine: "ChannelAffineOptions", .prelu: "PReLUOptions", .clip: "ClipOptions",
        .add: "AddOptions", .sub: "AddOptions", .mul: "AddOptions", .pool2d: "PoolOptions", .pool1d: "PoolOptions",
        .reduceMax: "ReduceMaxOptions", .reshape: "ReshapeOptions", .transpose: "TransposeOptions",
        .softmax: "SoftmaxOptions", .logSoftmax: "SoftmaxOptions", .concat: "ConcatOptions",
    ]

    @Test func everyOpcodeUsesItsSchemaOptionsTable() throws {
        let union = try Self.schemaBlock("union OpOptions")
        for op in OpCode.allCases {
            if let table = Self.documentedOptions[op] {
                let index = try #require(union.firstIndex(of: table), "\(table) is not in the schema's union")
                #expect(Int(op.optionsType) == index + 1, "\(op.name): runtime table \(op.optionsType), schema \(table) = \(index + 1)")
            } else {
                #expect(op.optionsType == 0, "\(op.name) has options type \(op.optionsType), the schema gives it none")
            }
        }
        // Every table of the union belongs to some operator.
        #expect(Set(Self.documentedOptions.values) == Set(union))
    }

    /// The converter can write every operator the runtime runs (none is dead): each OpCode case
    /// is named in the converter's sources.
    @Test func theConverterProducesEveryRuntimeOperator() throws {
        let dir = repoRoot.appendingPathComponent("Sources/EdgePackConvert")
        var text = ""
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            text += try String(contentsOf: url, encoding: .utf8)
        }
        for op in OpCode.allCases {
            let token = "." + String(describing: op)
            let found = [",", " ", ")", ":", "\n"].contains { text.contains(token + $0) }
            #expect(found, "no converter rule writes \(op.name)")
        }
    }

    @Test func unknownOpcodeIsRefusedByName() throws {
        let b = ModelBuilder(name: "unknown-op")
        let x = b.addInput("x", shape: [1, 4]); let y = b.addActivation("y", shape: [1, 4])
        b.addOperator(.relu, inputs: [x], outputs: [y], name: "r"); b.markOutput(y)
        var bytes = b.serialize()
        // The relu opcode (9) as a u16 in the operator table; patch it to an unknown value.
        let m = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }
        #expect(m.operators[0].code == OpCode.relu.rawValue)
        #expect(patchFirstU16(&bytes, from: OpCode.relu.rawValue, to: 999))
        let reloaded = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }
        #expect(reloaded.operators[0].code == 999)
        do {
            _ = try Interpreter(model: reloaded)
            Issue.record("an unknown opcode was accepted")
        } catch {
            #expect(error.message.contains("opcode 999 is not an operator this runtime knows"))
        }
    }

    /// Finds the operator table's opcode field by trying candidates: the one u16 whose change
    /// (with the checksum recomputed) changes operator 0's code.
    func patchFirstU16(_ bytes: inout [UInt8], from: UInt16, to: UInt16) -> Bool {
        for i in stride(from: 0, to: bytes.count - 1, by: 2) where UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 == from {
            var copy = bytes
            copy[i] = UInt8(to & 0xFF); copy[i + 1] = UInt8(to >> 8)
            guard let at = try? copy.withUnsafeBytes({ try ModelFile.checksumOffset($0) }) else { continue }
            let crc = copy.withUnsafeBytes { ModelFile.checksum($0, excluding: at) }
            withUnsafeBytes(of: crc.littleEndian) { for k in 0..<4 { copy[at + k] = $0[k] } }
            let code = copy.withUnsafeBytes { try? ModelFile(bytes: $0).operators.first?.code }
            if code == to { bytes = copy; return true }
        }
        return false
    }
}
