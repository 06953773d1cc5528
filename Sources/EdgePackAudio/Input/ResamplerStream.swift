/// `Resampler.process` for a signal that arrives in pieces (a WAV read as a stream): the same
/// output samples, bit for bit, holding only the input the next outputs still read.
public struct ResamplerStream {
    public let resampler: Resampler
    private var held: [Float] = []   // input samples from index `heldFrom` on
    private var heldFrom = 0
    private var next = 0             // the next output sample

    public init(_ resampler: Resampler) { self.resampler = resampler }

    /// Takes more input; appends to `out` the outputs it completes.
    public mutating func push(_ input: UnsafeBufferPointer<Float>, into out: inout [Float]) {
        held.append(contentsOf: input)
        emit(into: &out, ended: false)
    }

    /// The signal has ended: appends the remaining outputs (zeros past the end, as `process`).
    public mutating func finish(into out: inout [Float]) {
        emit(into: &out, ended: true)
    }

    /// Before the end, an output is complete once its last input has arrived; the signal's
    /// length then does not limit it, so the sum runs over the same terms as in `process`.
    private mutating func emit(into out: inout [Float], ended: Bool) {
        let r = resampler
        let received = heldFrom + held.count
        let end = ended ? r.outputCount(received) : Int.max
        var i = next
        let from = heldFrom
        held.withUnsafeBufferPointer { x in
        r.taps.withUnsafeBufferPointer { h in
            while i < end && (ended || r.firstInput(i) + r.span <= received) {
                out.append(r.sample(i, h, x, from: from, signalLength: received))
                i += 1
            }
        }}
        next = i
        // Drop what no later output reads.
        let keepFrom = min(received, max(heldFrom, r.firstInput(next)))
        if keepFrom > heldFrom {
            held.removeFirst(keepFrom - heldFrom)
            heldFrom = keepFrom
        }
    }
}
