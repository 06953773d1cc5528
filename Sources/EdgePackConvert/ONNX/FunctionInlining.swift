/// Replaces calls of model-local functions (FunctionProto) by their bodies, recursively,
/// so the rest of the converter only sees standard operators. Names inside a body are
/// prefixed per call so two calls of one function never share an intermediate value.
struct FunctionInliner {
    private struct Key: Hashable { var domain: String; var name: String; var overload: String }
    private let functions: [Key: Onnx_FunctionProto]
    private var calls = 0

    init(_ list: [Onnx_FunctionProto]) throws(ONNXError) {
        var f: [Key: Onnx_FunctionProto] = [:]
        for fn in list {
            let k = Key(domain: fn.domain, name: fn.name, overload: fn.overload)
            if f[k] != nil { throw .function(name: fn.name, detail: "defined twice in domain '\(fn.domain)'") }
            f[k] = fn
        }
        functions = f
    }

    var isEmpty: Bool { functions.isEmpty }

    /// The node itself when it calls no local function, else its expanded body.
    mutating func expand(_ node: Onnx_NodeProto, stack: [String] = []) throws(ONNXError) -> [Onnx_NodeProto] {
        let key = Key(domain: node.domain, name: node.opType, overload: node.overload)
        guard let fn = functions[key] else { return [node] }
        let id = "\(fn.domain).\(fn.name)"
        if stack.contains(id) {
            throw .function(name: fn.name, detail: "calls itself (\((stack + [id]).joined(separator: " -> ")))")
        }
        guard node.input.count <= fn.input.count, node.output.count <= fn.output.count else {
            throw .function(name: fn.name, detail: "called by node '\(node.name)' with \(node.input.count) inputs and \(node.output.count) outputs; it declares \(fn.input.count) and \(fn.output.count)")
        }
        calls += 1
        guard calls <= 100_000 else { throw .function(name: fn.name, detail: "more than 100000 calls after inlining (nested calls multiply)") }
        let prefix = "\(node.name.isEmpty ? fn.name : node.name)#\(calls)/"
        var rename: [String: String] = [:]
        for (i, formal) in fn.input.enumerated() { rename[formal] = i < node.input.count ? node.input[i] : "" }
        for (i, formal) in fn.output.enumerated() { rename[formal] = i < node.output.count ? node.output[i] : "" }
        func mapped(_ n: String) -> String { n.isEmpty ? "" : rename[n] ?? prefix + n }

        var actual: [String: Onnx_AttributeProto] = [:]
        for a in fn.attributeProto { actual[a.name] = a }      // defaults
        for a in node.attribute { actual[a.name] = a }         // the caller's values win

        var out: [Onnx_NodeProto] = []
        for var inner in fn.node {
            inner.input = inner.input.map(mapped)
            inner.output = inner.output.map(mapped)
            inner.name = prefix + inner.name
            var attrs: [Onnx_AttributeProto] = []
            for a in inner.attribute {
                guard a.hasRefAttrName, !a.refAttrName.isEmpty else { attrs.append(a); continue }
                // A reference with no value at the call site means "attribute not given".
                guard var v = actual[a.refAttrName] else { continue }
                v.name = a.name
                attrs.append(v)
            }
            inner.attribute = attrs
            out += try expand(inner, stack: stack + [id])
        }
        return out
    }
}
