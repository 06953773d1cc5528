import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Testing

// Concat against element-by-element indexing: each output coordinate is looked up in the input
// whose range along the axis holds it.
@Suite("Concat joins inputs along any axis")
struct ConcatOpTests {
    func reference(_ inputs: [[Float]], shapes: [[Int]], axis: Int) -> [Float] {
        var outShape = shapes[0]; outShape[axis] = shapes.reduce(0) { $0 + $1[axis] }
        let count = outShape.reduce(1, *)
        var y = [Float](repeating: .nan, count: count)
        for flat in 0..<count {
            var coord = [Int](repeating: 0, count: outShape.count), rest = flat
            for d in stride(from: outShape.count - 1, through: 0, by: -1) { coord[d] = rest % outShape[d]; rest /= outShape[d] }
            var which = 0, along = coord[axis]
            while along >= shapes[which][axis] { along -= shapes[which][axis]; which += 1 }
            var c = coord; c[axis] = along
            var index = 0
            for d in 0..<c.count { index = index * shapes[which][d] + c[d] }
            y[flat] = inputs[which][index]
        }
        return y
    }

    @Test func matchesIndexing() throws {
        var rng = SplitMix64(seed: testSeed("concat"))
        for trial in 0..<40 {
            let rank = 1 + Int(rng.next() % 4)
            let base = (0..<rank).map { _ in 1 + Int(rng.next() % 4) }
            let axis = Int(rng.next() % UInt64(rank))
            let n = 1 + Int(rng.next() % 4)          // one input: torch.stack of a single tensor
            var shapes: [[Int]] = [], values: [[Float]] = []
            for _ in 0..<n {
                var s = base; s[axis] = 1 + Int(rng.next() % 3)
                shapes.append(s); values.append(rng.floats(s.reduce(1, *)))
            }
            var outShape = base; outShape[axis] = shapes.reduce(0) { $0 + $1[axis] }
            let b = ModelBuilder(name: "concat")
            let x = b.addInput("x", shape: shapes[0])
            var inputs = [x]
            for i in 1..<n { inputs.append(b.addConstant("c\(i)", shape: shapes[i], floats: values[i])) }
            let y = b.addActivation("y", shape: outShape)
            let negative = trial % 2 == 1
            b.addOperator(.concat, inputs: inputs, outputs: [y], options: ConcatOptions(axis: negative ? axis - rank : axis))
            b.markOutput(y)
            let got = try runModel(b.serialize(), inputs: [values[0]])
            #expect(got == reference(values, shapes: shapes, axis: axis), "trial \(trial): \(shapes) axis \(axis)")
        }
    }

    /// Concat 'cat' of [1, 2, 3] and [1, 3, 4] on axis 1: the shapes differ outside the axis.
    static func mismatchedModel() -> [UInt8] {
        let b = ModelBuilder(name: "concat-bad")
        let x = b.addInput("x", shape: [1, 2, 3])
        let c = b.addConstant("c", shape: [1, 3, 4], floats: [Float](repeating: 1, count: 12))
        let y = b.addActivation("y", shape: [1, 5, 3])
        b.addOperator(.concat, inputs: [x, c], outputs: [y], options: ConcatOptions(axis: 1), name: "cat")
        b.markOutput(y)
        return b.serialize()
    }

    @Test func mismatchedShapesAreRefused() throws {
        do {
            _ = try runModel(Self.mismatchedModel(), inputs: [[Float](repeating: 0, count: 6)])
            Issue.record("mismatched concat accepted")
        } catch let e as RuntimeError {
            #expect(e.message.contains("Concat 'cat'") && e.message.contains("does not match"))
        }
    }
}
