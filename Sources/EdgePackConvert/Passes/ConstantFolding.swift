/// What constant folding did, for reports and tests.
public struct FoldingReport: Sendable {
    /// Nodes replaced by their constant results.
    public var folded = 0
    /// Op types that had only constant inputs but are not in the host evaluator (left in place).
    public var notEvaluable: [String: Int] = [:]
    /// Nodes and initializers removed afterwards as unused.
    public var removedNodes = 0
    public var removedInitializers = 0
}

/// Replaces every node whose inputs are all constants by its results (weight quantizers become
/// plain weight tensors), then removes Identity nodes and what no longer feeds an output.
///
/// Walks the graph in topological order and infers shapes on the way, so `Shape`/`Size` of a
/// run-time tensor with a static shape fold as well (exporters emit Shape → Gather → Concat →
/// Reshape for `x.view(x.size(0), -1)`), and `CastLike` to a run-time tensor's type.
public enum ConstantFolding {
    public static func run(_ g: inout Graph) throws -> FoldingReport {
        var report = FoldingReport()
        var kept: [Node] = []
        for node in g.nodes {
            if let outputs = try fold(node, in: g, report: &report) {
                for (name, t) in zip(node.outputs, outputs) where !name.isEmpty {
                    g.initializers[name] = t
                    g.values[name] = nil
                }
                report.folded += 1
                continue
            }
            kept.append(node)
            // Shapes of run-time values, for Shape/Size further on; unknown stays unknown here
            // (ShapeInference.run reports it).
            if let infos = try? ShapeInference.infer(node, in: g) { ShapeInference.record(infos, of: node, in: &g) }
        }
        g.nodes = kept
        IdentityElimination.run(&g)
        let removed = DeadNodeElimination.run(&g)
        report.removedNodes = removed.nodes
        report.removedInitializers = removed.initializers
        return report
    }

    /// The node's outputs when it can be computed now, nil when it must stay.
    private static func fold(_ node: Node, in g: Graph, report: inout FoldingReport) throws -> [Tensor]? {
        guard node.domain.isEmpty else { return nil }
        let present = node.inputs.filter { !$0.isEmpty }
        let allConstant = present.allSatisfy { g.initializers[$0] != nil }
        if !allConstant {
            // Shape and Size only need the input's static shape, CastLike its target's type
            // (the dynamo exporter casts a zero bias like the run-time activation).
            if node.opType == "CastLike", let c = node.input(0).flatMap({ g.initializers[$0] }),
               let target = node.input(1).flatMap({ g.info($0)?.dtype }) {
                do { return [try Evaluator.cast(c, to: target)] } catch let e as EvalError { throw EvalError.atNode(node.label, e) }
            }
            guard node.opType == "Shape" || node.opType == "Size", let name = node.input(0),
                  let shape = g.values[name]?.shape else { return nil }
            if node.opType == "Size" { return [Tensor(shape: [], int64s: [Int64(shape.reduce(1, *))])] }
            do { return [try Evaluator.shapeVector(shape, node: node)] } catch let e as AttributeError {
                throw EvalError.atNode(node.label, .attribute(e))
            }
        }
        guard Evaluator.supportedOps.contains(node.opType) else {
            report.notEvaluable[node.opType, default: 0] += 1
            return nil
        }
        let inputs = node.inputs.map { $0.isEmpty ? nil : g.initializers[$0] }
        let out = try Evaluator.evaluate(node, inputs: inputs, opset: g.opset)
        guard out.count >= node.outputs.filter({ !$0.isEmpty }).count else {
            throw EvalError.atNode(node.label, .invalid("has \(node.outputs.count) outputs, the evaluator made \(out.count)"))
        }
        return out
    }
}
