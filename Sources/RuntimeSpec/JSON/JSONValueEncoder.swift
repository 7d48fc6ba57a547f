import StackCore

/// Encodes `Encodable` values to JSON: members in declaration order (as Go's encoder writes them),
/// dictionary members sorted by key so output is stable, nil optionals omitted.
public struct JSONValueEncoder: Sendable {
    /// Indentation for pretty output; nil writes compact JSON on one line.
    public var indent: String?

    public init(indent: String? = nil) {
        self.indent = indent
    }

    /// The value as a JSON tree.
    public func encodeValue<T: Encodable>(_ value: T) throws(StackError) -> JSONValue {
        let root = EncodingBox()
        do {
            try EncodingScalars.encode(value, into: root, codingPath: [])
        } catch let error as StackError {
            throw error
        } catch {
            throw StackError(.internalError, "cannot encode \(T.self): \(error)")
        }
        return root.value
    }

    /// The value as JSON text (no trailing newline).
    public func encodeString<T: Encodable>(_ value: T) throws(StackError) -> String {
        JSONWriter.write(try encodeValue(value), indent: indent)
    }

    /// The value as UTF-8 JSON bytes (no trailing newline).
    public func encode<T: Encodable>(_ value: T) throws(StackError) -> [UInt8] {
        Array(try encodeString(value).utf8)
    }
}

/// A node under construction; containers write into boxes so nested containers can be filled later.
final class EncodingBox {
    enum Content {
        case empty
        case scalar(JSONValue)
        case array([EncodingBox])
        case object([(String, EncodingBox)], sorted: Bool)
    }

    var content: Content = .empty

    var value: JSONValue {
        switch content {
        case .empty: return .object([])
        case .scalar(let value): return value
        case .array(let boxes): return .array(boxes.map(\.value))
        case .object(let members, let sorted):
            let ordered = sorted ? members.sorted { $0.0 < $1.0 } : members
            return .object(ordered.map { JSONValue.Member($0.0, $0.1.value) })
        }
    }

    /// The box for `key`, replacing an earlier value for the same key.
    func member(_ key: String) -> EncodingBox {
        var members: [(String, EncodingBox)] = []
        var sorted = false
        if case .object(let existing, let isSorted) = content {
            members = existing
            sorted = isSorted
        }
        let box = EncodingBox()
        if let position = members.firstIndex(where: { $0.0 == key }) {
            members[position].1 = box
        } else {
            members.append((key, box))
        }
        content = .object(members, sorted: sorted)
        return box
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([], sorted: false)
    }

    func markSorted() {
        if case .object(let members, _) = content { content = .object(members, sorted: true) }
    }

    func append() -> EncodingBox {
        var items: [EncodingBox] = []
        if case .array(let existing) = content { items = existing }
        let box = EncodingBox()
        items.append(box)
        content = .array(items)
        return box
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }
}

/// Dictionaries with string keys; their members are written sorted.
private protocol StringKeyedDictionary {}
extension Dictionary: StringKeyedDictionary where Key == String {}

enum EncodingScalars {
    static func encode<T: Encodable>(_ value: T, into box: EncodingBox, codingPath: [any CodingKey]) throws {
        if let scalar = try scalar(value, codingPath) {
            box.content = .scalar(scalar)
            return
        }
        try value.encode(to: ValueEncoder(box: box, codingPath: codingPath))
        if value is StringKeyedDictionary { box.markSorted() }
    }

    static func scalar(_ value: Any, _ codingPath: [any CodingKey]) throws -> JSONValue? {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .number(String(number))
        case let number as Int8: return .number(String(number))
        case let number as Int16: return .number(String(number))
        case let number as Int32: return .number(String(number))
        case let number as Int64: return .number(String(number))
        case let number as UInt: return .number(String(number))
        case let number as UInt8: return .number(String(number))
        case let number as UInt16: return .number(String(number))
        case let number as UInt32: return .number(String(number))
        case let number as UInt64: return .number(String(number))
        case let number as Double: return try floating(number, codingPath)
        case let number as Float: return try floating(Double(number), codingPath)
        default: return nil
        }
    }

    private static func floating(_ number: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard number.isFinite else {
            throw StackError(.internalError, "cannot encode \(number) as JSON", path: JSONPath.render(codingPath))
        }
        if number == number.rounded(), abs(number) < 1e15 { return .number(String(Int64(number))) }
        return .number(String(number))
    }
}

private struct ValueEncoder: Encoder {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeArray()
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(box: box, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: EncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.member(key.stringValue).content = .scalar(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try EncodingScalars.encode(value, into: box.member(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        ValueEncoder(box: box.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(box: box.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(box: box.member("super"), codingPath: codingPath + [JSONKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(box: box.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    var count = 0

    init(box: EncodingBox, codingPath: [any CodingKey]) {
        self.box = box
        self.codingPath = codingPath
    }

    private mutating func nextPath() -> [any CodingKey] {
        defer { count += 1 }
        return codingPath + [JSONKey(intValue: count)]
    }

    mutating func encodeNil() throws {
        _ = nextPath()
        box.append().content = .scalar(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try EncodingScalars.encode(value, into: box.append(), codingPath: nextPath())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(box: box.append(), codingPath: nextPath()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ValueEncoder(box: box.append(), codingPath: nextPath()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(box: box.append(), codingPath: nextPath())
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: EncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.content = .scalar(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try EncodingScalars.encode(value, into: box, codingPath: codingPath)
    }
}
