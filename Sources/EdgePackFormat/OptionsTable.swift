// An operator's options table, read in place. The format verifies that the table lies in the
// file; each operator (EdgePackRuntime/Ops) decodes and range-checks its own fields, so adding
// an operator never touches this module. Every accessor is bounds-checked and throws.

public struct OptionsTable {
    let table: FBTable

    init(_ table: FBTable) { self.table = table }

    /// Where the table sits in the file, for error messages ("model.graph.operators[3].options").
    public var path: String { table.path }

    public func bool(_ slot: Int, _ def: Bool) throws(ModelError) -> Bool { try table.bool(slot, def) }
    public func i8(_ slot: Int, _ def: Int8) throws(ModelError) -> Int8 { try table.i8(slot, def) }
    public func i32(_ slot: Int, _ def: Int32) throws(ModelError) -> Int32 { try table.i32(slot, def) }
    public func f32(_ slot: Int, _ def: Float) throws(ModelError) -> Float { try table.f32(slot, def) }
    public func int32Vector(_ slot: Int, _ name: StaticString) throws(ModelError) -> [Int32]? { try table.int32Vector(slot, name) }
    public func table(_ slot: Int, _ name: StaticString) throws(ModelError) -> OptionsTable? {
        try table.table(slot, name).map { OptionsTable($0) }
    }

    /// A float field that must be finite (a NaN or infinite clip bound or threshold would
    /// silently change every result).
    public func finite(_ slot: Int, _ def: Float, _ name: String) throws(ModelError) -> Float {
        let v = try table.f32(slot, def)
        guard v.isFinite else { throw ModelError("\(path).\(name) is \(v), not a finite number") }
        return v
    }

    /// A clip bound: finite, or infinite on its own side (no lower bound is -inf, no upper bound
    /// +inf, as ONNX's Clip with an input left out); NaN or the other infinity is refused.
    public func bound(_ slot: Int, _ def: Float, _ name: String, upper: Bool) throws(ModelError) -> Float {
        let v = try table.f32(slot, def)
        guard v.isFinite || v == (upper ? Float.infinity : -Float.infinity) else {
            throw ModelError("\(path).\(name) is \(v), not a number or \(upper ? "+inf" : "-inf")")
        }
        return v
    }

    /// An int32 field as Int, within `range`.
    public func int(_ slot: Int, _ def: Int32, _ name: String, in range: ClosedRange<Int>) throws(ModelError) -> Int {
        let v = Int(try table.i32(slot, def))
        guard range.contains(v) else {
            throw ModelError("\(path).\(name) is \(v), outside \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }
}

/// An options table as a writer describes it: one entry per schema slot, nil for an absent
/// field. Operators produce this from their options (OperatorOptions.fields); the host's
/// serializer writes it without knowing which operator it belongs to.
public indirect enum OptionField: Equatable {
    case bool(Bool)
    case i8(Int8)
    case i32(Int32)
    case f32(Float)
    case i32Vector([Int32])
    case table([OptionField?])
}
