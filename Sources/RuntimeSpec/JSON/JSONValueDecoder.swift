import StackCore

/// Decodes `Decodable` values from JSON with errors that name the field:
/// `config.json: process.args: expected an array of strings, found a string`.
///
/// Unknown members are ignored; `null` and missing members decode as nil for optionals.
public struct JSONValueDecoder: Sendable {
    /// The name errors carry as their file, e.g. `config.json`.
    public var file: String

    public init(file: String = "<json>") {
        self.file = file
    }

    /// Parses `bytes` and decodes a `T` from them.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(StackError) -> T {
        let value = try JSONParser.parse(bytes, file: file)
        return try decode(type, from: value)
    }

    /// Decodes a `T` from an already parsed document.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(StackError) -> T {
        do {
            let decoder = ValueDecoder(value: value, codingPath: [])
            if let scalar = try JSONScalarDecoding.scalar(type, value, []) { return scalar }
            return try T(from: decoder)
        } catch let failure as JSONDecodingFailure {
            throw StackError(.invalidArgument, failure.message, mark: .synthetic(file), path: failure.path)
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            throw StackError(.invalidArgument, message, mark: .synthetic(file), path: path)
        } catch let error as StackError {
            throw error
        } catch {
            throw StackError(.invalidArgument, "cannot decode: \(error)", mark: .synthetic(file))
        }
    }

    /// Errors thrown by `Decodable` code of its own (e.g. an enum's raw value that does not match).
    static func describe(_ error: DecodingError) -> (String, String) {
        switch error {
        case .dataCorrupted(let context):
            return (JSONPath.render(context.codingPath), context.debugDescription)
        case .keyNotFound(let key, let context):
            return (JSONPath.render(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return (JSONPath.render(context.codingPath), "expected \(type): \(context.debugDescription)")
        @unknown default:
            return ("", "\(error)")
        }
    }
}

/// The `Decoder` over one JSON value.
private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw JSONScalarDecoding.mismatch("an object", value, codingPath) }
        var map: [String: JSONValue] = [:]
        map.reserveCapacity(members.count)
        for member in members { map[member.key] = member.value }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: map, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw JSONScalarDecoding.mismatch("an array", value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath)
    }
}

/// Decodes `T` from `value` at `path`: scalars directly, everything else through its own `init(from:)`.
private func decodeValue<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
    if let scalar = try JSONScalarDecoding.scalar(type, value, path) { return scalar }
    if case .null = value { throw JSONDecodingFailure(path, "must not be null") }
    return try T(from: ValueDecoder(value: value, codingPath: path))
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else { throw JSONDecodingFailure(codingPath + [key], "is required") }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(type, try member(key), codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, try member(key), codingPath + [key]) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [JSONKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var currentPath: [any CodingKey] { codingPath + [JSONKey(intValue: currentIndex)] }

    private mutating func next() throws -> JSONValue {
        guard currentIndex < items.count else { throw JSONDecodingFailure(currentPath, "is missing: the array is too short") }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if case .null = try next() {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decodeValue(type, try next(), currentPath)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let container = try ValueDecoder(value: try next(), codingPath: currentPath).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try ValueDecoder(value: try next(), codingPath: currentPath).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = ValueDecoder(value: try next(), codingPath: currentPath)
        currentIndex += 1
        return decoder
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type, value, codingPath) }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type, value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type, value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type, value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type, value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type, value, codingPath) }
}
