import EdgePackFormat

/// An operator's options: how it reads and writes its schema table. The reader is the runtime
/// (at prepare, where every value is range-checked); the writers are the converter and the
/// synthetic models (through ModelBuilder), so both sides use this one definition.
public protocol OperatorOptions {
    /// The schema's OpOptions union index of this table.
    static var tableType: UInt8 { get }
    /// The options when a file carries no table for the operator; nil when one is required.
    static var whenAbsent: Self? { get }
    init(decoding table: OptionsTable) throws(ModelError)
    /// The table's fields in slot order.
    var fields: [OptionField?] { get }
}

/// For operators without options.
public struct NoOptions: OperatorOptions {
    public static var tableType: UInt8 { 0 }
    public static var whenAbsent: NoOptions? { NoOptions() }
    public init() {}
    public init(decoding table: OptionsTable) throws(ModelError) {
        throw ModelError("\(table.path): this operator takes no options")
    }
    public var fields: [OptionField?] { [] }
}
