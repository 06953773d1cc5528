import Foundation
import Testing
import EdgePackFormat
import EdgePackRuntime
@testable import EdgePackConvert

/// Structural mutations of real models (extreme attribute values, wrong dims and types, rewired
/// or deleted nodes, truncated data): the converter must throw an error or succeed — a trap
/// would end the test process.
@Suite struct ConverterFuzzTests {
    static let extremes: [Int64] = [0, -1, 1, 2, 3, -3, 1 << 20, 1 << 40, Int64.max, Int64.min, Int64(Int32.max) + 1]

    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 11 }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static func mutate(_ m: inout Onnx_ModelProto, _ r: inout Rng) {
        guard !m.graph.node.isEmpty else { return }
        let i = r.below(m.graph.node.count)
        switch r.below(7) {
        case 0:   // an int or ints attribute to an extreme value
            if !m.graph.node[i].attribute.isEmpty {
                let a = r.below(m.graph.node[i].attribute.count)
                let v = extremes[r.below(extremes.count)]
                if !m.graph.node[i].attribute[a].ints.isEmpty {
                    m.graph.node[i].attribute[a].ints[r.below(m.graph.node[i].attribute[a].ints.count)] = v
                } else { m.graph.node[i].attribute[a].i = v }
            }
        case 1:   // rewire an input to some other value (may make cycles or type mismatches)
            let names = m.graph.node.flatMap(\.output) + m.graph.initializer.map(\.name)
            if !m.graph.node[i].input.isEmpty, !names.isEmpty {
                m.graph.node[i].input[r.below(m.graph.node[i].input.count)] = names[r.below(names.count)]
            }
        case 2:   // delete a node
            m.graph.node.remove(at: i)
        case 3:   // an initializer's dims
            if !m.graph.initializer.isEmpty {
                let t = r.below(m.graph.initializer.count)
                if !m.graph.initializer[t].dims.isEmpty {
                    m.graph.initializer[t].dims[r.below(m.graph.initializer[t].dims.count)] = extremes[r.below(extremes.count)]
                } else { m.graph.initializer[t].dims = [extremes[r.below(extremes.count)]] }
            }
        case 4:   // an initializer's type or data
            if !m.graph.initializer.isEmpty {
                let t = r.below(m.graph.initializer.count)
                if r.below(2) == 0 { m.graph.initializer[t].dataType = Int32(r.below(24)) }
                else { m.graph.initializer[t].rawData = m.graph.initializer[t].rawData.prefix(r.below(64)) }
            }
        case 5:   // a small-integer initializer (shapes, axes, pads) to extreme values
            let ints = m.graph.initializer.indices.filter { m.graph.initializer[$0].dataType == 7 && m.graph.initializer[$0].rawData.count <= 64 }
            if let t = ints.isEmpty ? nil : ints[r.below(ints.count)] {
                var v = [Int64](repeating: 0, count: m.graph.initializer[t].rawData.count / 8)
                for k in v.indices { v[k] = r.below(3) == 0 ? extremes[r.below(extremes.count)] : Int64(r.below(5)) - 1 }
                m.graph.initializer[t].rawData = Data(v.flatMap { x in withUnsafeBytes(of: x.littleEndian) { Array($0) } })
            }
        default:  // the op type of a node
            let ops = ["Conv", "Reshape", "Slice", "Pad", "Gather", "ReduceMean", "Transpose", "Concat", "Sign", "MaxPool", "Tile", "Expand"]
            m.graph.node[i].opType = ops[r.below(ops.count)]
        }
    }

    static let models = [ConvertFixtures.path("shapes.onnx"), ConvertFixtures.path("quantizers_ts.onnx"),
                         ConvertFixtures.path("quantizers_dynamo.onnx"),
                         FixtureModelsFoldTests.directory.appendingPathComponent("irnet_vggsmall_torchscript.onnx").path,
                         FixtureModelsFoldTests.directory.appendingPathComponent("bifsmn_official_dynamoopt.onnx").path]

    @Test(arguments: models)
    func mutatedModelsFailCleanly(_ path: String) throws {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else { print("skipped: \(path) missing"); return }
        var original = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        if name.hasPrefix("quantizers") { original.graph.output = [original.graph.output[0]] }   // drop the exposed weights
        var r = Rng(s: (UInt64(ProcessInfo.processInfo.environment["EDGEPACK_FUZZ_SEED"] ?? "") ?? 0x5EED) ^ UInt64(name.count))
        var converted = 0, rejected = 0
        let iterations = Int(ProcessInfo.processInfo.environment["EDGEPACK_FUZZ_ITERATIONS"] ?? "") ?? 300
        for _ in 0..<iterations {
            var m = original
            for _ in 0..<(1 + r.below(3)) { Self.mutate(&m, &r) }
            do {
                var g = try ONNXLoader.load(data: try m.serializedData())
                let result = try Converter.convert(graph: &g, source: name, options: ConvertOptions())
                converted += 1
                // What the converter writes, the runtime accepts.
                do {
                    try result.model.withUnsafeBytes { raw in _ = try Interpreter(model: try ModelFile(bytes: raw)) }
                } catch {
                    Issue.record("\(name): converted model rejected by the runtime: \(error)")
                }
            } catch {
                #expect(!"\(error)".isEmpty)
                rejected += 1
            }
        }
        print("\(name): \(iterations) mutants, \(converted) converted, \(rejected) rejected with an error")
    }
}
