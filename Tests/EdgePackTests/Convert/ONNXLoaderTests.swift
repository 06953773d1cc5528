import Foundation
import Testing
@testable import EdgePackConvert

/// Reading ONNX: exact tensor decoding, opsets, function inlining, topological order.
@Suite struct ONNXLoaderTests {
    @Test func decodesEveryTensorEncodingExactly() throws {
        // The same values through raw_data and through the typed fields.
        let floats: [Float] = [1.5, -0.0, .leastNonzeroMagnitude, 3.4028235e38, -7.25, .infinity]
        var raw = ONNXBuild.tensor("raw", [2, 3], [])
        raw.floatData = []
        raw.rawData = Data(floats.flatMap { f in withUnsafeBytes(of: f.bitPattern.littleEndian) { Array($0) } })
        var i32 = Onnx_TensorProto(); i32.name = "i32"; i32.dataType = 6; i32.dims = [3]; i32.int32Data = [-1, 0, .max]
        var b = Onnx_TensorProto(); b.name = "b"; b.dataType = 9; b.dims = [3]; b.rawData = Data([1, 0, 1])
        var d = Onnx_TensorProto(); d.name = "d"; d.dataType = 11; d.dims = [2]; d.doubleData = [1.0 / 3.0, -2]
        let i64 = ONNXBuild.int64Tensor("i64", [2], [.min, .max])
        let scalar = ONNXBuild.tensor("s", [], [42])
        let names = ["raw", "i32", "b", "d", "i64", "s"]
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Identity", ["x"], ["y"])], inputs: [ONNXBuild.value("x", [1])],
                                outputs: ["y"] + names, initializers: [raw, i32, b, d, i64, scalar])
        let g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect(g.initializers["raw"]?.shape == [2, 3])
        #expect(g.initializers["raw"]?.floats?.map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(g.initializers["i32"]?.data == .int32([-1, 0, .max]))
        #expect(g.initializers["b"]?.data == .bool([true, false, true]))
        #expect(g.initializers["d"]?.data == .float64([1.0 / 3.0, -2]))
        #expect(g.initializers["i64"]?.data == .int64([.min, .max]))
        #expect(g.initializers["s"]?.shape == [] && g.initializers["s"]?.floats == [42])
        #expect(g.opset == 18)
    }

    @Test func sortsNodesTopologically() throws {
        // Written consumers-first; the loader orders producers first.
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Neg", ["b"], ["y"], name: "last"),
                                        ONNXBuild.node("Abs", ["a"], ["b"], name: "middle"),
                                        ONNXBuild.node("Relu", ["x"], ["a"], name: "first")],
                                inputs: [ONNXBuild.value("x", [2])], outputs: ["y"])
        let g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect(g.nodes.map(\.name) == ["first", "middle", "last"])
    }

    @Test func opsetRangeIsEnforced() throws {
        let m11 = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [ONNXBuild.value("x", [2])], outputs: ["y"], opset: 11)
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m11)) } throws: { e in
            "\(e)".contains("opset 11") && "\(e)".contains("13–20")
        }
        var o = LoadOptions()
        o.allowUnsupportedOpset = true
        let g = try ONNXLoader.load(data: try ONNXBuild.bytes(m11), options: o)
        #expect(g.warnings.contains { $0.contains("opset 11") })
        for v: Int64 in [13, 20] {
            let m = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [ONNXBuild.value("x", [2])], outputs: ["y"], opset: v)
            #expect(try ONNXLoader.load(data: try ONNXBuild.bytes(m)).opset == Int(v))
        }
    }

    @Test func symbolicDimensionsBecomeOneWithAWarning() throws {
        var x = ONNXBuild.value("x", [1, 3])
        x.type.tensorType.shape.dim[0].dimParam = "batch"
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [x], outputs: ["y"])
        let g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect(g.inputs[0].info.shape == [1, 3])
        #expect(g.warnings.contains { $0.contains("'batch'") })
        var o = LoadOptions()
        o.symbolicDimensions = ["batch": 4]
        #expect(try ONNXLoader.load(data: try ONNXBuild.bytes(m), options: o).inputs[0].info.shape == [4, 3])
        o.defaultSymbolicDimension = nil
        o.symbolicDimensions = [:]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m), options: o) } throws: { "\($0)".contains("symbolic ('batch')") }
    }

    /// A model-local function (as the dynamo exporter may emit) with an attribute reference
    /// and a default, called twice: inlined, then folded to the right values.
    @Test func inlinesLocalFunctions() throws {
        var f = Onnx_FunctionProto()
        f.name = "ScaledShift"
        f.domain = "pkg.custom"
        f.input = ["a", "s"]
        f.output = ["out"]
        f.attribute = ["axis_unused"]
        var flat = ONNXBuild.node("Flatten", ["a"], ["t"], name: "flat")
        var ref = Onnx_AttributeProto(); ref.name = "axis"; ref.refAttrName = "fa"; ref.type = .int
        flat.attribute = [ref]
        f.node = [flat, ONNXBuild.node("Mul", ["t", "s"], ["out"], name: "mul")]
        var def = ONNXBuild.intAttribute("fa", 0)
        def.name = "fa"
        f.attributeProto = [def]

        var call1 = ONNXBuild.node("ScaledShift", ["w", "two"], ["y1"], name: "call1")
        call1.domain = "pkg.custom"
        call1.attribute = [ONNXBuild.intAttribute("fa", 2)]
        var call2 = ONNXBuild.node("ScaledShift", ["w", "two"], ["y2"], name: "call2")
        call2.domain = "pkg.custom"
        var m = ONNXBuild.model(nodes: [call1, call2], inputs: [], outputs: ["y1", "y2"],
                                initializers: [ONNXBuild.tensor("w", [2, 1, 3], [1, 2, 3, 4, 5, 6]), ONNXBuild.tensor("two", [], [2])])
        m.functions = [f]
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        #expect(g.nodes.count == 4)
        #expect(Set(g.nodes.map(\.opType)) == ["Flatten", "Mul"])
        _ = try ConstantFolding.run(&g)
        // Flatten(axis=2) of [2,1,3] is [2,3]; with the default axis=0 it is [1,6].
        #expect(g.initializers["y1"] == Tensor(shape: [2, 3], floats: [2, 4, 6, 8, 10, 12]))
        #expect(g.initializers["y2"] == Tensor(shape: [1, 6], floats: [2, 4, 6, 8, 10, 12]))
    }

    @Test func recursiveFunctionsAreRejected() throws {
        var f = Onnx_FunctionProto()
        f.name = "Loop"
        f.domain = "d"
        f.input = ["a"]; f.output = ["b"]
        var inner = ONNXBuild.node("Loop", ["a"], ["b"]); inner.domain = "d"
        f.node = [inner]
        var call = ONNXBuild.node("Loop", ["x"], ["y"]); call.domain = "d"
        var m = ONNXBuild.model(nodes: [call], inputs: [ONNXBuild.value("x", [1])], outputs: ["y"])
        m.functions = [f]
        #expect { try ONNXLoader.load(data: try ONNXBuild.bytes(m)) } throws: { "\($0)".contains("calls itself") }
    }

    @Test func allFixturesLoad() throws {
        for name in ["eval_cases_opset18.onnx", "eval_cases_opset13.onnx", "shapes.onnx", "quantizers_ts.onnx", "quantizers_dynamo.onnx"] {
            let g = try ONNXLoader.load(path: ConvertFixtures.path(name))
            #expect(!g.nodes.isEmpty, "\(name)")
        }
    }
}
