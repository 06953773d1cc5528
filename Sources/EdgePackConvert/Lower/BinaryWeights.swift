/// Whether folded weights are exactly ±α per output channel, the condition for a binary kernel.
enum BinaryWeights {
    /// α per row when every element of row r is +α[r] or -α[r] (α > 0, bit-exact); otherwise
    /// the reason in words.
    static func scales(_ w: [Float], rows: Int) -> (alpha: [Float]?, reason: String) {
        guard rows > 0, w.count % rows == 0, !w.isEmpty else { return (nil, "empty weight") }
        let n = w.count / rows
        var alpha: [Float] = []
        for r in 0..<rows {
            let row = w[(r * n)..<((r + 1) * n)]
            let mags = Set(row.map { $0.magnitude.bitPattern })
            if mags.count != 1 {
                return (nil, "weights are not ±α per output channel (channel \(r) has \(mags.count) magnitudes; one scale per (out, in) pair?)")
            }
            let a = Float(bitPattern: mags.first!)
            guard a > 0, a.isFinite else { return (nil, "channel \(r) has weights \(a) (zero or not finite)") }
            alpha.append(a)
        }
        return (alpha, "")
    }

}
