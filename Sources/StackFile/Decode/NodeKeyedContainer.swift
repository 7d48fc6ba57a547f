import StackCore

/// A keyed container over a mapping's entries. Keys that the model does not ask for are ignored.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [Node.Entry]
    /// The path of the mapping itself.
    let link: CodingPathLink?

    var codingPath: [any CodingKey] { LazyCodingPath.keys(of: link) }

    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { node(for: key) != nil }

    private func node(for key: Key) -> Node? {
        let name = key.stringValue
        // Index the array rather than iterating entries: copying an Entry retains its strings and node.
        // Comparing lengths first skips most mismatches without a full string comparison.
        let length = name.utf8.count
        for index in entries.indices {
            let candidate = entries[index].key
            if candidate.utf8.count == length, candidate == name { return entries[index].value }
        }
        return nil
    }

    private func require(_ key: Key) throws -> Node {
        guard let node = node(for: key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing \"\(key.stringValue)\""))
        }
        return node
    }

    private func scalar(_ key: Key) throws -> NodeSingleValueContainer {
        NodeSingleValueContainer(node: try require(key), path: .child(of: link, key))
    }

    private func decoder(_ key: Key) throws -> NodeValueDecoder {
        NodeValueDecoder(node: try require(key), path: .child(of: link, key))
    }

    func decodeNil(forKey key: Key) throws -> Bool { try require(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(key).decodeInteger(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(key).decodeInteger(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(key).decodeInteger(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(key).decodeInteger(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(key).decodeInteger(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(key).decodeInteger(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(key).decodeInteger(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(key).decodeInteger(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(key).decodeInteger(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(key).decodeInteger(type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder(key).decodeValue(type)
    }

    // One lookup instead of the default's three (contains, decodeNil, decode): decoding
    // services calls these for every field the model knows.

    /// The node for `key` unless it is absent or null.
    private func present(_ key: Key) -> Node? {
        guard let node = node(for: key), !node.isNull else { return nil }
        return node
    }

    private func presentScalar(_ key: Key) -> NodeSingleValueContainer? {
        present(key).map { NodeSingleValueContainer(node: $0, path: .child(of: link, key)) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = present(key) else { return nil }
        return try NodeValueDecoder(node: node, path: .child(of: link, key)).decodeValue(type)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try presentScalar(key)?.decode(type)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try presentScalar(key)?.decode(type)
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try presentScalar(key)?.decode(type)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try presentScalar(key)?.decodeInteger(type)
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try presentScalar(key)?.decodeInteger(type)
    }

    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try presentScalar(key)?.decodeInteger(type)
    }

    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try presentScalar(key)?.decodeInteger(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeValueDecoder(node: Node(.mapping(entries), mark: .synthetic("")), path: LazyCodingPath(parent: link, key: nil))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}
