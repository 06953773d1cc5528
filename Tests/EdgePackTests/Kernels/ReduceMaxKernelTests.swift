import EdgePackHost
import EdgePackRuntime
import Testing

// reduceMax scans contiguous rows eight lanes at a time; its bits must be those of one ordered
// scan: the largest value (checked against a float64 maximum), NaN when any value is NaN, and
// of ±0 the first met.

@Suite("ReduceMax kernel")
struct ReduceMaxKernelTests {
    func run(_ x: [Float], outer: Int, axis: Int, offset: Float) -> [Float] {
        var y = [Float](repeating: 0, count: outer)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { reduceMax(xp.baseAddress!, outer: outer, axis: axis, inner: 1, offset: offset, $0.baseAddress!) }
        }
        return y
    }

    @Test(arguments: [1, 7, 8, 13, 64, 1024])
    func rowsGiveTheOrderedScansBits(axis: Int) {
        var rng = SplitMix64(seed: testSeed("reducemax-\(axis)"))
        let offset: Float = -3.2041
        var rows: [[Float]] = (0..<4).map { _ in rng.floats(axis, -5, 5) }
        rows.append([Float](repeating: -.infinity, count: axis))
        rows.append((0..<axis).map { $0 % 3 == 1 ? 0 : -1 })                   // zero maximum, +0 first
        rows.append((0..<axis).map { $0 % 2 == 0 ? -0.0 : ($0 % 3 == 0 ? 0 : -2) })  // -0 first
        var withNaN = rng.floats(axis, -5, 5); withNaN[axis / 2] = .nan
        rows.append(withNaN)
        let got = run(rows.flatMap { $0 }, outer: rows.count, axis: axis, offset: offset)
        for (r, row) in rows.enumerated() {
            if row.contains(where: \.isNaN) { #expect(got[r].isNaN); continue }
            let firstMax = row.first { $0 == row.max()! }!      // of equal ±0, the first
            let exact = Float(row.map(Double.init).max()!)      // an independent maximum
            #expect(firstMax == exact)
            #expect(got[r].bitPattern == (firstMax + offset).bitPattern, "row \(r)")
        }
        // Zero maxima keep the first zero's sign (visible with a -0 offset).
        let signed = run(rows[5] + rows[6], outer: 2, axis: axis, offset: -0.0)
        if axis > 1 { #expect(signed[0].bitPattern == Float(0).bitPattern) }
        #expect(signed[1].bitPattern == Float(-0.0).bitPattern)
    }
}
