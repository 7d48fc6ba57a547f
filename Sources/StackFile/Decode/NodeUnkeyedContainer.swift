import StackCore

/// An unkeyed container over a sequence's items.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [Node]
    /// The path of the sequence itself.
    let link: CodingPathLink?
    private(set) var currentIndex = 0

    init(items: [Node], link: CodingPathLink?) {
        self.items = items
        self.link = link
    }

    var codingPath: [any CodingKey] { LazyCodingPath.keys(of: link) }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// The decoder of the current item; advances past it.
    private mutating func next<T>(_ type: T.Type) throws -> NodeValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: codingPath, debugDescription: "the sequence has no more items"))
        }
        let decoder = NodeValueDecoder(node: items[currentIndex], path: .child(of: link, NodeIndexKey(currentIndex)))
        currentIndex += 1
        return decoder
    }

    private mutating func scalar<T>(_ type: T.Type) throws -> NodeSingleValueContainer {
        let decoder = try next(type)
        return NodeSingleValueContainer(node: decoder.node, path: decoder.path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(type).decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type).decodeInteger(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type).decodeInteger(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next(type).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
