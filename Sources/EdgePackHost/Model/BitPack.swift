import EdgePackFormat

/// Packs signs along the last axis into 64-bit LSB-first words, bit set = negative,
/// pad bits 0 (the file format's BIT layout). `values` is row-major with `rowLength` per row.
public func packSigns(_ values: [Float], rowLength: Int) -> [UInt64] {
    precondition(rowLength > 0 && values.count % rowLength == 0)
    let rows = values.count / rowLength
    let words = (rowLength + 63) / 64
    var out = [UInt64](repeating: 0, count: rows * words)
    for r in 0..<rows {
        for k in 0..<rowLength where values[r * rowLength + k] < 0 {
            out[r * words + k / 64] |= 1 << UInt64(k % 64)
        }
    }
    return out
}
