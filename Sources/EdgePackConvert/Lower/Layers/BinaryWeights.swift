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

    /// `--rebinarize`: sign(w)·mean|w| per row for weights with other magnitudes (BiFSMN's
    /// sign(w) times per-element or per-(out, in) magnitudes), the L2 choice of one scale per
    /// row. relativeError = ‖w − α·sign(w)‖ / ‖w‖ over the layer (sign(0) taken as +1, as packed).
    /// nil when a weight is not finite or a row is all zero.
    static func rebinarized(_ w: [Float], rows: Int) -> (alpha: [Float], relativeError: Double)? {
        guard rows > 0, w.count % rows == 0, !w.isEmpty, w.allSatisfy(\.isFinite) else { return nil }
        let n = w.count / rows
        var alpha: [Float] = [], residual = 0.0, total = 0.0
        for r in 0..<rows {
            let row = w[(r * n)..<((r + 1) * n)]
            let a = Float(row.reduce(0.0) { $0 + Double($1.magnitude) } / Double(n))
            guard a > 0, a.isFinite else { return nil }
            alpha.append(a)
            for v in row {
                let q = Double(v < 0 ? -a : a)
                residual += (Double(v) - q) * (Double(v) - q)
                total += Double(v) * Double(v)
            }
        }
        return (alpha, (residual / total).squareRoot())
    }
}
