// Pulling chosen fields out of a cloud as an N×F row-major matrix (one row per point).

/// One output column: an element of a field.
public struct PCDColumn: Equatable, Sendable {
    public var field: Int
    public var element: Int
    /// The field name, with "[i]" appended for fields of COUNT > 1.
    public var name: String
}

/// Row-major values: `values[row * columns.count + column]`.
public struct PCDMatrix<Scalar> {
    public var rows: Int
    public var columns: [PCDColumn]
    public var values: [Scalar]
    /// Points left out because a chosen value was NaN or infinite (when invalid points are dropped).
    public var dropped: Int
}

extension PCDHeader {
    /// Columns for the named fields, in the order given; a field with COUNT > 1 gives one column per
    /// element. An empty list means every non-padding field.
    public func columns(for names: [String]) throws(PCDError) -> [PCDColumn] {
        var wanted = names
        if wanted.isEmpty {
            for f in fields where !f.isPadding { wanted.append(f.name) }
        }
        var out: [PCDColumn] = []
        for name in wanted {
            guard let index = fieldIndex(named: name) else {
                var list = ""
                for f in fields where !f.isPadding { list += (list.isEmpty ? "" : " ") + f.name }
                throw .unknownField(name: name, available: list)
            }
            let count = fields[index].count
            for e in 0..<count {
                out.append(PCDColumn(field: index, element: e,
                                     name: count == 1 ? name : name + "[" + String(e) + "]"))
            }
        }
        return out
    }
}

extension PCDCloud {
    /// The chosen fields as Float, N×F. With `dropInvalid`, points whose chosen values include a
    /// NaN or an infinity are left out (integers are always valid).
    public func floatMatrix(fields names: [String], dropInvalid: Bool = false) throws(PCDError) -> PCDMatrix<Float> {
        let columns = try header.columns(for: names)
        return extract(columns, dropInvalid: dropInvalid, zero: Float(0)) { raw, at, kind in
            PCDCloud.loadFloat(raw, at, kind)
        }
    }

    /// The chosen fields as Double (exact for every float field), N×F.
    public func doubleMatrix(fields names: [String], dropInvalid: Bool = false) throws(PCDError) -> PCDMatrix<Double> {
        let columns = try header.columns(for: names)
        return extract(columns, dropInvalid: dropInvalid, zero: 0.0) { raw, at, kind in
            PCDCloud.loadDouble(raw, at, kind)
        }
    }

    func extract<S: BinaryFloatingPoint>(_ columns: [PCDColumn], dropInvalid: Bool, zero: S,
                                         _ load: (UnsafeRawBufferPointer, Int, PCDValueKind) -> S) -> PCDMatrix<S> {
        let n = header.points
        let f = columns.count
        var base: [Int] = []
        var stride: [Int] = []
        var kind: [PCDValueKind] = []
        for c in columns {
            base.append(fieldBase[c.field] + c.element * header.fields[c.field].size)
            stride.append(fieldStride[c.field])
            kind.append(kinds[c.field])
        }
        var values = [S](repeating: zero, count: n * f)
        var rows = 0
        withDataBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                for p in 0..<n {
                    var valid = true
                    let row = rows * f
                    for c in 0..<f {
                        let v = load(raw, base[c] + p * stride[c], kind[c])
                        if !v.isFinite { valid = false }
                        out[row + c] = v
                    }
                    if valid || !dropInvalid { rows += 1 }
                }
            }
        }
        if rows < n { values.removeLast((n - rows) * f) }
        return PCDMatrix(rows: rows, columns: columns, values: values, dropped: n - rows)
    }
}
