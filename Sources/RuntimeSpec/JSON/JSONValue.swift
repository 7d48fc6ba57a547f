/// A parsed JSON document: the runtime's JSON files (config.json, state.json, process.json) are small,
/// so they are read into this tree first and decoded from it with exact paths in errors.
///
/// Numbers keep their source text so that 64-bit integers (`-1`, `18446744073709551615`) convert exactly.
/// Objects keep member order and duplicates as written; decoding uses the last duplicate, as Go does.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as written in the document (or produced by the encoder), e.g. `-1`, `1.5e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// What kind of value this is, with an article, for messages: `a string`, `an array`, `null`.
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let text): return "the number \(text)"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value of the last member named `key`, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
