import Foundation
import Testing
@testable import EdgePackConvert

/// Which straight-through forms sign(x) − p + p the rewrite takes as an exact Sign: only a p of
/// the same x with the sign of x and |p| ≤ 1, in the checked arithmetic forms.
@Suite struct StraightThroughSignTests {
    /// y = (Sign(x) − p) + q, with p and q made by `surrogate` (nodes producing "p" and "q").
    func rewritten(_ surrogate: [Onnx_NodeProto], constants: [Onnx_TensorProto]) throws -> String {
        let nodes = [ONNXBuild.node("Sign", ["x"], ["s"], name: "sign")] + surrogate
            + [ONNXBuild.node("Sub", ["s", "p"], ["d"], name: "sub"), ONNXBuild.node("Add", ["d", "q"], ["y"], name: "add")]
        let m = ONNXBuild.model(nodes: nodes, inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"], initializers: constants)
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        _ = StraightThroughSign.run(&g)
        return g.nodes.first { $0.outputs == ["y"] }?.opType ?? "?"
    }

    func clip(_ out: String, _ input: String = "x") -> Onnx_NodeProto { ONNXBuild.node("Clip", [input, "lo", "hi"], [out], name: "clip_\(out)") }
    func bounds(_ lo: Float, _ hi: Float) -> [Onnx_TensorProto] { [ONNXBuild.tensor("lo", [], [lo]), ONNXBuild.tensor("hi", [], [hi])] }

    @Test(arguments: [(Float(-1), Float(1), "Sign"), (0, 1, "Sign"), (-0.5, 0.25, "Sign"), (-2, 2, "Add"), (0.5, 1, "Add")])
    func clipBounds(lo: Float, hi: Float, expected: String) throws {
        let id = ONNXBuild.node("Identity", ["p"], ["q"], name: "same")
        #expect(try rewritten([clip("p"), id], constants: bounds(lo, hi)) == expected, "clip to [\(lo), \(hi)]")
    }

    @Test func aRepeatedSurrogateIsTheSameValue() throws {
        #expect(try rewritten([clip("p"), clip("q")], constants: bounds(-1, 1)) == "Sign")
    }

    @Test func aSurrogateOfAnotherValueIsNotSign() throws {
        let shift = ONNXBuild.node("Add", ["x", "b"], ["xb"], name: "shift")
        let nodes = [shift, clip("p", "xb"), ONNXBuild.node("Identity", ["p"], ["q"], name: "same")]
        #expect(try rewritten(nodes, constants: bounds(-1, 1) + [ONNXBuild.tensor("b", [], [0.25])]) == "Add")
    }

    @Test func aScaledClipIsNotSign() throws {
        let twice = ONNXBuild.node("Mul", ["x", "two"], ["x2"], name: "twice")
        let nodes = [twice, clip("p", "x2"), ONNXBuild.node("Identity", ["p"], ["q"], name: "same")]
        #expect(try rewritten(nodes, constants: bounds(-1, 1) + [ONNXBuild.tensor("two", [], [2])]) == "Add")
    }

    /// A surrogate of shared nodes 60 deep (each Add reads one value twice) is refused at once,
    /// not walked path by path (2^60 of them).
    @Test func sharedNodesAreWalkedOnce() throws {
        var nodes = [clip("p0")]
        for k in 0..<60 { nodes.append(ONNXBuild.node("Add", ["p\(k)", "p\(k)"], ["p\(k + 1)"], name: "double\(k)")) }
        nodes.append(ONNXBuild.node("Identity", ["p60"], ["p"], name: "p"))
        nodes.append(ONNXBuild.node("Identity", ["p60"], ["q"], name: "q"))
        #expect(try rewritten(nodes, constants: bounds(-1, 1)) == "Add")
    }

    /// Bi-Real's polynomial: -1 below -1, x² + 2x up to 0, -x² + 2x up to 1, 1 above; with
    /// another linear coefficient the pieces leave [-1, 1] and the rewrite must refuse.
    @Test(arguments: [(Float(2), "Sign"), (3, "Add")])
    func polynomial(linear: Float, expected: String) throws {
        func n(_ op: String, _ i: [String], _ o: String, _ attrs: [Onnx_AttributeProto] = []) -> Onnx_NodeProto { ONNXBuild.node(op, i, [o], name: o, attributes: attrs) }
        let toFloat = [ONNXBuild.intAttribute("to", 1)]
        let nodes = [
            n("Less", ["x", "m1"], "l1"), n("Cast", ["l1"], "c1", toFloat),
            n("Less", ["x", "zero"], "l2"), n("Cast", ["l2"], "c2", toFloat),
            n("Less", ["x", "one"], "l3"), n("Cast", ["l3"], "c3", toFloat),
            n("Mul", ["x", "x"], "xx"), n("Mul", ["x", "k"], "kx"), n("Add", ["xx", "kx"], "left"),
            n("Neg", ["x"], "nx"), n("Mul", ["nx", "x"], "nxx"), n("Add", ["nxx", "kx"], "right"),
            n("Mul", ["c1", "m1"], "a1"), n("Sub", ["one", "c1"], "i1"), n("Mul", ["left", "i1"], "b1"), n("Add", ["a1", "b1"], "o1"),
            n("Mul", ["o1", "c2"], "a2"), n("Sub", ["one", "c2"], "i2"), n("Mul", ["right", "i2"], "b2"), n("Add", ["a2", "b2"], "o2"),
            n("Mul", ["o2", "c3"], "a3"), n("Sub", ["one", "c3"], "i3"), n("Mul", ["one", "i3"], "b3"), n("Add", ["a3", "b3"], "p"),
            n("Identity", ["p"], "q"),
        ]
        let constants = [ONNXBuild.tensor("m1", [], [-1]), ONNXBuild.tensor("zero", [], [0]), ONNXBuild.tensor("one", [], [1]),
                         ONNXBuild.tensor("k", [], [linear])]
        #expect(try rewritten(nodes, constants: constants) == expected)
    }
}
