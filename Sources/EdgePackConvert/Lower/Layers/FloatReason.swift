/// Why a convolution or dense layer stays on a float kernel; the report's "why" column.
/// An `Error` only so that it can be a `Result`'s failure: it is returned, never thrown.
enum FloatReason: Error, Equatable, CustomStringConvertible {
    case inputIsNotSign
    case emptyWeight
    /// More than one weight magnitude in an output channel (e.g. one scale per (out, in) pair).
    case magnitudesPerChannel(channel: Int, count: Int)
    case zeroOrNonFiniteScale(channel: Int, value: Float)
    case groupedNotDepthwise(groups: Int)
    case tooManyTaps(Int)
    /// The layer was made by a graph rewrite (Passes/Rewrites), which says why it exists.
    case madeByRewrite(String)

    var description: String {
        switch self {
        case .inputIsNotSign: "input is not Sign(x)"
        case .emptyWeight: "empty weight"
        case .magnitudesPerChannel(let c, let count):
            "weights are not ±α per output channel (channel \(c) has \(count) magnitudes; one scale per (out, in) pair?)"
        case .zeroOrNonFiniteScale(let c, let a): "channel \(c) has weights \(a) (zero or not finite)"
        case .groupedNotDepthwise(let groups): "grouped convolution that is not depthwise (groups \(groups))"
        case .tooManyTaps(let taps): "\(taps) kernel taps; binary kernels take at most 64"
        case .madeByRewrite(let why): why
        }
    }
}
