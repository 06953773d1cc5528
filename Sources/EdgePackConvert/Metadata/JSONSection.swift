import Foundation

/// A field of a JSON object whose value is not what the field needs.
struct JSONFieldProblem: Error {
    var field: String
    var problem: String
}

/// Any key of a JSON object.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A preprocessing spec read from one JSON object: each field through the same setter as the
/// .conf file. Fields the spec does not know are collected, not rejected, so a newer training
/// script's extra field is a warning.
struct JSONSection<Spec: PreprocessingSection>: Decodable {
    var spec = Spec()
    var unknownFields: [String] = []
    /// Fields the object set (to tell "labels" given inside the object from the default).
    var fieldsSet: Set<String> = []

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            if try spec.set(key.stringValue, JSONField(container: c, key: key)) {
                fieldsSet.insert(key.stringValue)
            } else {
                unknownFields.append(key.stringValue)
            }
        }
    }
}

/// One field's value, decoded as the type the setter asks for; a JSON value of another type
/// is an error naming what was found (types are not converted: "2048" is not an integer).
struct JSONField: PreprocessingValue {
    let container: KeyedDecodingContainer<JSONKey>
    let key: JSONKey

    func invalid(_ message: String) -> JSONFieldProblem { JSONFieldProblem(field: key.stringValue, problem: message) }

    private func decode<T: Decodable>(_ type: T.Type, _ expected: String) throws(JSONFieldProblem) -> T {
        do { return try container.decode(T.self, forKey: key) } catch { throw invalid("expected \(expected), found \(found())") }
    }

    func int() throws(JSONFieldProblem) -> Int { Int(try decode(Int32.self, "an integer (32-bit)")) }
    func uint64() throws(JSONFieldProblem) -> UInt64 { try decode(UInt64.self, "an unsigned integer") }
    func bool() throws(JSONFieldProblem) -> Bool { try decode(Bool.self, "true or false") }
    func word() throws(JSONFieldProblem) -> String { try decode(String.self, "a string") }
    func strings() throws(JSONFieldProblem) -> [String] { try decode([String].self, "an array of strings") }

    // Decoded as Float straight from the JSON digits (as a .conf's Float(text)); Double then
    // Float could round twice. A number Float cannot hold is named as such.
    func float() throws(JSONFieldProblem) -> Float {
        guard let v = try? container.decode(Float.self, forKey: key), v.isFinite else { throw floatProblem("a number") }
        return v
    }

    func floats() throws(JSONFieldProblem) -> [Float] {
        guard let v = try? container.decode([Float].self, forKey: key), v.allSatisfy(\.isFinite) else {
            throw floatProblem("an array of numbers")
        }
        return v
    }

    private func floatProblem(_ expected: String) -> JSONFieldProblem {
        let numeric = (try? container.decode(Double.self, forKey: key)) != nil || (try? container.decode([Double].self, forKey: key)) != nil
        return invalid(numeric ? "\(found()) is out of range for a 32-bit float" : "expected \(expected), found \(found())")
    }

    /// What the field holds, for error messages.
    func found() -> String {
        if (try? container.decodeNil(forKey: key)) == true { return "null" }
        if let b = try? container.decode(Bool.self, forKey: key) { return "\(b)" }
        if let d = try? container.decode(Double.self, forKey: key) {
            return "the number " + (d == d.rounded() && abs(d) < 1e18 ? String(Int64(d)) : String(d))
        }
        if let s = try? container.decode(String.self, forKey: key) { return "the string \"\(s)\"" }
        if let a = try? container.decode([Double].self, forKey: key) { return "the array \(a)" }
        if let a = try? container.decode([String].self, forKey: key) { return "the array \(a)" }
        if (try? container.nestedUnkeyedContainer(forKey: key)) != nil { return "an array of mixed or nested values" }
        return "an object"
    }
}
