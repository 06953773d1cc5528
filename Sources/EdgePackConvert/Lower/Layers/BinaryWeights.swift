/// Whether weights are exactly ±α per output channel, the condition for a binary kernel.
enum BinaryWeights {
    /// α per row when every element of row r is +α[r] or -α[r] (α > 0, bit-exact).
    static func scales(_ w: [Float], rows: Int) -> Result<[Float], FloatReason> {
        guard rows > 0, w.count % rows == 0, !w.isEmpty else { return .failure(.emptyWeight) }
        let n = w.count / rows
        var alpha: [Float] = []
        for r in 0..<rows {
            let row = w[(r * n)..<((r + 1) * n)]
            let mags = Set(row.map { $0.magnitude.bitPattern })
            if mags.count != 1 { return .failure(.magnitudesPerChannel(channel: r, count: mags.count)) }
            let a = Float(bitPattern: mags.first!)
            guard a > 0, a.isFinite else { return .failure(.zeroOrNonFiniteScale(channel: r, value: a)) }
            alpha.append(a)
        }
        return .success(alpha)
    }
}
