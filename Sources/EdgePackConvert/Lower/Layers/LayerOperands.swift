/// What a convolution or dense layer reads, checked: a run-time input, constant weights with
/// one row per output channel, and an optional constant bias.
struct LayerOperands {
    var node: Node
    var input: String
    var inputShape: [Int]
    var weightName: String
    /// Row c holds output channel c's weights (ONNX order within the row).
    var weights: [Float]
    var outputs: Int
    var bias: [Float]?
}
