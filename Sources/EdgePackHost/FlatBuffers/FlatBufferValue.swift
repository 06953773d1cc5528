/// A FlatBuffer object tree to serialize: tables are arrays of optional fields indexed by slot
/// (the schema's field order), so writers read like the schema.
public indirect enum FBValue {
    case table([FBField?])
    case string(String)
    case int32Vector([Int32])
    case floatVector([Float])
    case tableVector([FBValue])
    case stringVector([String])
}

public enum FBField {
    case u8(UInt8)
    case i8(Int8)
    case bool(Bool)
    case u16(UInt16)
    case i32(Int32)
    case u32(UInt32)
    case u64(UInt64)
    case f32(Float)
    /// A union's value, a table, string or vector (stored as a uoffset).
    case ref(FBValue)

    var inlineSize: Int {
        switch self {
        case .u8, .i8, .bool: return 1
        case .u16: return 2
        case .i32, .u32, .f32, .ref: return 4
        case .u64: return 8
        }
    }
}
