/// Turns any `Encodable` into a `CanonicalValue` (no Foundation): keyed containers become
/// objects, unkeyed ones arrays, and optionals that are nil are left out, as synthesized
/// `Encodable` conformances do with `encodeIfPresent`.
public enum CanonicalEncoder {
    /// The canonical value of `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> CanonicalValue {
        let root = ValueSlot()
        try value.encode(to: SlotEncoder(slot: root, codingPath: []))
        return root.value
    }
}

/// A value under construction; containers write into it through references.
final class ValueSlot {
    enum Content {
        case pending
        case single(CanonicalValue)
        case object([String: ValueSlot])
        case array([ValueSlot])
    }

    var content: Content = .pending

    /// The finished value; a slot nothing was written to reads as null.
    var value: CanonicalValue {
        switch content {
        case .pending: return .null
        case .single(let value): return value
        case .object(let members): return .object(members.mapValues(\.value))
        case .array(let items): return .array(items.map(\.value))
        }
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func child(_ key: String) -> ValueSlot {
        makeObject()
        let slot = ValueSlot()
        if case .object(var members) = content {
            members[key] = slot
            content = .object(members)
        }
        return slot
    }

    func appended() -> ValueSlot {
        makeArray()
        let slot = ValueSlot()
        if case .array(var items) = content {
            items.append(slot)
            content = .array(items)
        }
        return slot
    }

    var arrayCount: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

struct SlotEncoder: Encoder {
    let slot: ValueSlot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(SlotKeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return SlotUnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SlotSingleContainer(slot: slot, codingPath: codingPath)
    }
}

/// Writes one value into a slot: primitives directly, everything else through its `encode(to:)`.
private func store<T: Encodable>(_ value: T, in slot: ValueSlot, codingPath: [any CodingKey]) throws {
    switch value {
    case let flag as Bool: slot.content = .single(.bool(flag))
    case let text as String: slot.content = .single(.string(text))
    case let number as Int: slot.content = .single(.number(String(number)))
    case let number as Int64: slot.content = .single(.number(String(number)))
    case let number as UInt64: slot.content = .single(.number(String(number)))
    case let number as Double: slot.content = .single(.number(number.description))
    default: try value.encode(to: SlotEncoder(slot: slot, codingPath: codingPath))
    }
}

struct SlotKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: ValueSlot
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.child(key.stringValue).content = .single(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(Double(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(Int(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(Int(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(Int(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encodeValue(value, key) }

    private func encodeValue<T: Encodable>(_ value: T, _ key: Key) throws {
        try store(value, in: slot.child(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.child(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(SlotKeyedContainer<NestedKey>(slot: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.child(key.stringValue)
        child.makeArray()
        return SlotUnkeyedContainer(slot: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        SlotEncoder(slot: slot.child("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SlotEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key])
    }
}

struct SlotUnkeyedContainer: UnkeyedEncodingContainer {
    let slot: ValueSlot
    var codingPath: [any CodingKey]
    var count: Int { slot.arrayCount }

    mutating func encodeNil() throws { slot.appended().content = .single(.null) }
    mutating func encode(_ value: Bool) throws { try append(value) }
    mutating func encode(_ value: String) throws { try append(value) }
    mutating func encode(_ value: Double) throws { try append(value) }
    mutating func encode(_ value: Float) throws { try append(Double(value)) }
    mutating func encode(_ value: Int) throws { try append(value) }
    mutating func encode(_ value: Int8) throws { try append(Int(value)) }
    mutating func encode(_ value: Int16) throws { try append(Int(value)) }
    mutating func encode(_ value: Int32) throws { try append(Int(value)) }
    mutating func encode(_ value: Int64) throws { try append(value) }
    mutating func encode(_ value: UInt) throws { try append(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try append(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try append(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try append(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try append(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try append(value) }

    private func append<T: Encodable>(_ value: T) throws {
        try store(value, in: slot.appended(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.appended()
        child.makeObject()
        return KeyedEncodingContainer(SlotKeyedContainer<NestedKey>(slot: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = slot.appended()
        child.makeArray()
        return SlotUnkeyedContainer(slot: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.appended(), codingPath: codingPath) }
}

struct SlotSingleContainer: SingleValueEncodingContainer {
    let slot: ValueSlot
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .single(.null) }
    mutating func encode(_ value: Bool) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode(_ value: String) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Double) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try store(Double(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Int8) throws { try store(Int(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Int16) throws { try store(Int(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Int32) throws { try store(Int(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: Int64) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode(_ value: UInt) throws { try store(UInt64(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: UInt8) throws { try store(UInt64(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: UInt16) throws { try store(UInt64(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: UInt32) throws { try store(UInt64(value), in: slot, codingPath: codingPath) }
    mutating func encode(_ value: UInt64) throws { try store(value, in: slot, codingPath: codingPath) }
    mutating func encode<T: Encodable>(_ value: T) throws { try store(value, in: slot, codingPath: codingPath) }
}
