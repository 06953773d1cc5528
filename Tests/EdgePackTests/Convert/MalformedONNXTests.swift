import Foundation
import Testing
@testable import EdgePackConvert

/// Broken ONNX files give errors that say what is wrong, and never crash.
@Suite struct MalformedONNXTests {
    static func small() -> Onnx_ModelProto {
        ONNXBuild.model(nodes: [ONNXBuild.node("Conv", ["x", "w"], ["c"], name: "conv"), ONNXBuild.node("Relu", ["c"], ["y"], name: "relu")],
                        inputs: [ONNXBuild.value("x", [1, 2, 4, 4])], outputs: ["y"],
                        initializers: [ONNXBuild.tensor("w", [3, 2, 1, 1], [1, 2, 3, 4, 5, 6])])
    }

    @Test func truncatedFilesFailCleanly() throws {
        let bytes = try ONNXBuild.bytes(Self.small())
        var protobufErrors = 0
        // Every cut point: either a protobuf error or a structural one, never a crash or a
        // silently incomplete graph.
        for cut in 0..<bytes.count {
            do {
                let g = try ONNXLoader.load(data: bytes.prefix(cut))
                Issue.record("cut at \(cut) of \(bytes.count) loaded \(g.nodes.count) nodes")
            } catch {
                if case .notProtobuf = error { protobufErrors += 1 }
                #expect(!"\(error)".isEmpty)
            }
        }
        #expect(protobufErrors > bytes.count / 2)
        #expect { try ONNXLoader.load(data: bytes.prefix(bytes.count - 3)) } throws: { e in
            "\(e)".contains("not a valid ONNX protobuf") || "\(e)".contains("truncated")
        }
    }

    /// Found by the onnx fuzz target: a node name with a control character went into the .epk,
    /// which the runtime then refused to load. The converter refuses it instead, with the reason.
    @Test func stringsTheRuntimeRefusesAreNotWritten() throws {
        for bad in ["re\u{1}lu", "relu\u{1B}[2J", "x\u{85}", "a\u{7F}"] {
            var m = Self.small()
            for k in m.graph.node.indices { m.graph.node[k].name = bad }
            var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
            #expect { try Converter.convert(graph: &g, source: "t.onnx", options: ConvertOptions()) } throws: { e in
                "\(e)".contains("would be refused by the runtime") && "\(e)".contains(".name: control character")
            }
        }
        var options = ConvertOptions()
        options.description = "two\nlines\tand a tab"   // allowed in a description
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(Self.small()))
        _ = try Converter.convert(graph: &g, source: "t.onnx", options: options)
        options.description = "clear \u{1B}[2J screen"
        g = try ONNXLoader.load(data: try ONNXBuild.bytes(Self.small()))
        #expect { try Converter.convert(graph: &g, source: "t.onnx", options: options) } throws: { e in
            "\(e)".contains("description: control character 0x1B")
        }
    }

    @Test func garbageAndEmptyFilesFail() throws {
        #expect { try ONNXLoader.load(data: Data()) } throws: { "\($0)".contains("has no graph") }
        var state: UInt64 = 0x9E3779B97F4A7C15     // fixed LCG stream: the same junk every run
        for n in [1, 7, 100, 4096] {
            let junk = Data((0..<n).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
            #expect(throws: ONNXError.self) { try ONNXLoader.load(data: junk) }
        }
        let text = Data("graph { node { op_type: \"Relu\" } }".utf8)
        #expect(throws: ONNXError.self) { try ONNXLoader.load(data: text) }
    }

    @Test func wrongWireTypeIsAProtobufError() throws {
        // Field 7 (graph, a message) sent as a varint.
        let bytes = Data([0x08, 0x08, 0x38, 0x01])
        #expect { try ONNXLoader.load(data: bytes) } throws: { e in
            guard case .notProtobuf(let d) = e as? ONNXError else { return false }
            return d.contains("field 7 (graph) has wire type 0")
        }
    }

    @Test func missingInitializerNamesNodeAndValue() throws {
        var m = Self.small()
        m.graph.initializer = []
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { e in
            let d = "\(e)"
            return d.contains("Conv 'conv' reads 'w'") && d.contains("missing initializer")
        }
    }

    @Test func cyclesNameTheirNodes() throws {
        var m = Self.small()
        m.graph.node = [ONNXBuild.node("Add", ["x", "d"], ["a"], name: "A"), ONNXBuild.node("Relu", ["a"], ["b"], name: "B"),
                        ONNXBuild.node("Neg", ["b"], ["d"], name: "C"), ONNXBuild.node("Abs", ["b"], ["y"], name: "D")]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { e in
            let d = "\(e)"
            return d.contains("cycle") && d.contains("'A'") && d.contains("'B'") && d.contains("'C'") && !d.contains("'D'")
        }
    }

    @Test func duplicateOutputsAndUndefinedGraphOutputs() throws {
        var m = Self.small()
        m.graph.node.append(ONNXBuild.node("Abs", ["x"], ["c"], name: "dup"))
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { "\($0)".contains("'c' is defined twice") }
        var m2 = Self.small()
        m2.graph.output.append(ONNXBuild.value("nowhere", nil))
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m2)) } throws: { "\($0)".contains("'nowhere' is produced by no node") }
    }

    @Test func unsupportedTypesAreNamed() throws {
        var m = Self.small()
        var half = Onnx_TensorProto(); half.name = "w"; half.dataType = 10; half.dims = [3, 2, 1, 1]; half.rawData = Data(count: 12)
        m.graph.initializer = [half]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { e in
            "\(e)".contains("'w' has element type FLOAT16")
        }
        var m2 = Self.small()
        m2.graph.input = [ONNXBuild.value("x", [1, 2, 4, 4], elemType: 8)]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m2)) } throws: { "\($0)".contains("'x' has element type STRING") }
    }

    @Test func externalDataIsRejected() throws {
        var m = Self.small()
        var t = m.graph.initializer[0]
        t.floatData = []
        t.dataLocation = .external
        var loc = Onnx_StringStringEntryProto(); loc.key = "location"; loc.value = "weights.bin"
        t.externalData = [loc]
        m.graph.initializer = [t]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { e in
            "\(e)".contains("'w' keeps its data in the external file 'weights.bin'")
        }
    }

    @Test func tensorSizeMismatchesAreCaught() throws {
        var m = Self.small()
        m.graph.initializer[0].floatData = [1, 2, 3]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { "\($0)".contains("holds 3 FLOAT values, shape [3, 2, 1, 1] needs 6") }
        var m2 = Self.small()
        m2.graph.initializer[0].floatData = []
        m2.graph.initializer[0].rawData = Data(count: 23)
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m2)) } throws: { "\($0)".contains("raw_data has 23 bytes") }
        var m3 = Self.small()
        m3.graph.initializer[0].dims = [1 << 40, 1 << 40]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m3)) } throws: { "\($0)".contains("tensor 'w'") }
    }

    @Test func wrongAttributeKindsAreNamed() throws {
        var m = Self.small()
        var strides = Onnx_AttributeProto(); strides.name = "strides"; strides.type = .floats; strides.floats = [1, 1]
        m.graph.node[0].attribute = [strides]
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect { _ = try ConstantFolding.run(&g); try ShapeInference.run(&g) } throws: { e in
            let d = "\(e)"
            return d.contains("Conv 'conv'") && d.contains("'strides'") && d.contains("expected ints, found floats")
        }
    }

    @Test func readFailureNamesThePath() {
        #expect { try ONNXLoader.load(path: "/nonexistent/model.onnx") } throws: { "\($0)".contains("/nonexistent/model.onnx") }
    }
}
