import EdgePackFormat
import EdgePackRuntime

/// A model used as a classifier: fills input 0, runs, returns class probabilities (softmax of
/// output 0 unless the graph already ends in Softmax). Shared by `kws` and `pointcloud`.
public final class ModelClassifier {
    public let loaded: LoadedModel
    public let interpreter: Interpreter
    let endsInSoftmax: Bool
    public private(set) var invocations = 0
    public private(set) var nanoseconds: UInt64 = 0

    public init(path: String, threads: Int = 1) throws(AppError) {
        loaded = try LoadedModel(path: path)
        do { interpreter = try Interpreter(model: loaded.model, threads: threads) } catch { throw AppError(error) }
        endsInSoftmax = loaded.model.operators.last?.opcode == .softmax
    }

    public var model: ModelFile { loaded.model }
    public var inputCount: Int { interpreter.inputShape(0).reduce(1, *) }
    public var classCount: Int { interpreter.outputShape(0).reduce(1, *) }

    /// Copies `fill` into input 0 and runs the model.
    public func classify(_ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        let start = monotonicNanoseconds()
        interpreter.withInput(0, fill)
        interpreter.invoke()
        var out = interpreter.output(0)
        if !endsInSoftmax { ModelClassifier.softmaxInPlace(&out) }
        nanoseconds += monotonicNanoseconds() - start
        invocations += 1
        return out
    }

    /// Softmax with the runtime's exp (identical bits on host and device). A log-softmax output
    /// (BiPointNet) becomes probabilities the same way.
    static func softmaxInPlace(_ v: inout [Float]) {
        guard var m = v.first else { return }
        for x in v where x > m { m = x }
        var sum: Float = 0
        for i in 0..<v.count { v[i] = EPMath.exp(v[i] - m); sum += v[i] }
        for i in 0..<v.count { v[i] /= sum }
    }
}

/// Indices of the `k` largest values, largest first (ties: lower index first).
public func topK(_ v: [Float], _ k: Int) -> [Int] {
    var order = Array(v.indices)
    order.sort { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }
    return Array(order.prefix(max(0, k)))
}
