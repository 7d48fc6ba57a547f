import StackCore
import StackModel

/// Decodes `Decodable` values from a `Node` tree, so model types read stack files through their
/// `init(from:)`.
///
/// Scalars convert leniently, as Compose does: integers also from strings that parse, booleans
/// also from the strings `true`/`false`, doubles from integers, floats or strings, and strings
/// from any scalar's text. A null node reads as an empty mapping. Every failure becomes a
/// `StackError(.invalidStackFile)` with the mark and path of the offending node.
public struct NodeDecoder: Sendable {
    public init() {}

    /// Decodes `type` from `node`. `path` is where `node` sits in its document (for messages).
    public func decode<T: Decodable>(_ type: T.Type, from node: Node, path: NodePath = .root) throws(StackError) -> T {
        let decoder = NodeValueDecoder(node: node, codingPath: [])
        do {
            return try decoder.decodeValue(T.self)
        } catch let error as DecodingError {
            throw DecodingFailure.stackError(for: error, root: node, rootPath: path)
        } catch let error as StackError {
            throw error
        } catch {
            throw StackError(.invalidStackFile, "\(error)", mark: node.mark, path: path.description)
        }
    }
}

/// The coding key of a sequence element; rendered as `[i]` in paths.
struct NodeIndexKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { "[\(index)]" }
    var intValue: Int? { index }
}

/// The `Decoder` for one node.
struct NodeValueDecoder: Decoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node.kind {
        case .mapping(let entries):
            return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: entries, codingPath: codingPath))
        case .scalar(.null):
            return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: [], codingPath: codingPath))
        default:
            throw DecodingFailure.mismatch([String: Any].self, expected: "a mapping", node: node, codingPath)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.kind else {
            throw DecodingFailure.mismatch([Any].self, expected: "a sequence", node: node, codingPath)
        }
        return NodeUnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(node: node, codingPath: codingPath)
    }

    /// Decodes a value of any type, with the special cases a node tree needs.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == FileMode.self, let mode = try decodeFileMode() as? T { return mode }
        return try T(from: self)
    }

    /// A file mode: a string is octal (`"0440"`), an integer is the value itself.
    private func decodeFileMode() throws -> FileMode {
        let scalar = NodeSingleValueContainer(node: node, codingPath: codingPath)
        if case .scalar(.string(let text)) = node.kind {
            guard let mode = FileMode(octal: text) else {
                throw DecodingFailure.corrupted(
                    "invalid file mode \"\(text)\"; expected an octal number such as \"0440\"", codingPath)
            }
            return mode
        }
        return FileMode(try scalar.decodeInteger(UInt32.self))
    }
}
