/// Why a rewrite made a node, by the node's output value: the report shows it for the layer
/// instead of the generic reason ("input is not Sign(x)" would say nothing about a Pad that
/// became a convolution).
struct RewriteNotes {
    private var byOutput: [String: String] = [:]

    mutating func note(_ why: String, output: String) { byOutput[output] = why }

    mutating func merge(_ other: RewriteNotes) { byOutput.merge(other.byOutput) { $1 } }

    subscript(output output: String) -> String? { byOutput[output] }
}
