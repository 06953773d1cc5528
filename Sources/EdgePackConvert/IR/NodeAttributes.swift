/// An attribute present with the wrong kind, or with a value the op does not allow.
public struct AttributeError: Error, CustomStringConvertible {
    public var node: String
    public var attribute: String
    public var detail: String

    public var description: String { "\(node), attribute '\(attribute)': \(detail)" }
}

/// Typed attribute access: nil when absent, an error when present with another kind.
extension Node {
    private func wrongKind(_ name: String, _ expected: String, _ a: Attribute) -> AttributeError {
        AttributeError(node: label, attribute: name, detail: "expected \(expected), found \(a.kindName)")
    }

    public func int(_ name: String) throws -> Int64? {
        guard let a = attributes[name] else { return nil }
        guard case .int(let v) = a else { throw wrongKind(name, "int", a) }
        return v
    }

    public func int(_ name: String, default d: Int64) throws -> Int64 { try int(name) ?? d }

    public func ints(_ name: String) throws -> [Int64]? {
        guard let a = attributes[name] else { return nil }
        guard case .ints(let v) = a else { throw wrongKind(name, "ints", a) }
        return v
    }

    public func float(_ name: String) throws -> Float? {
        guard let a = attributes[name] else { return nil }
        guard case .float(let v) = a else { throw wrongKind(name, "float", a) }
        return v
    }

    public func floats(_ name: String) throws -> [Float]? {
        guard let a = attributes[name] else { return nil }
        guard case .floats(let v) = a else { throw wrongKind(name, "floats", a) }
        return v
    }

    public func string(_ name: String) throws -> String? {
        guard let a = attributes[name] else { return nil }
        guard case .string(let v) = a else { throw wrongKind(name, "string", a) }
        return v
    }

    public func tensor(_ name: String) throws -> Tensor? {
        guard let a = attributes[name] else { return nil }
        guard case .tensor(let v) = a else { throw wrongKind(name, "tensor", a) }
        return v
    }

    public func attributeError(_ name: String, _ detail: String) -> AttributeError {
        AttributeError(node: label, attribute: name, detail: detail)
    }
}
