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
        let decoder = NodeValueDecoder(node: node, path: .root)
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
    let path: LazyCodingPath
    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node.kind {
        case .mapping(let entries):
            return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: entries, link: path.link()))
        case .scalar(.null):
            return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: [], link: path.link()))
        default:
            throw DecodingFailure.mismatch([String: Any].self, expected: "a mapping", node: node, codingPath)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.kind else {
            throw DecodingFailure.mismatch([Any].self, expected: "a sequence", node: node, codingPath)
        }
        return NodeUnkeyedContainer(items: items, link: path.link())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(node: node, path: path)
    }

    /// Decodes a value of any type, with the special cases a node tree needs: file modes (a
    /// string is octal), and direct paths for the string lists and maps that fill services.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == [String].self, let list = try stringList() as? T { return list }
        if T.self == [String: String?].self, let map = try stringMap() as? T { return map }
        if T.self == FileMode.self, let mode = try decodeFileMode() as? T { return mode }
        return try T(from: self)
    }

    /// A sequence of scalars as strings.
    private func stringList() throws -> [String] {
        guard case .sequence(let items) = node.kind else {
            throw DecodingFailure.mismatch([String].self, expected: "a sequence", node: node, codingPath)
        }
        var list: [String] = []
        list.reserveCapacity(items.count)
        for index in items.indices {
            if case .scalar(let scalar) = items[index].kind, scalar != .null {
                list.append(scalar.text)
            } else {
                let element = LazyCodingPath.child(of: path.link(), NodeIndexKey(index))
                list.append(try NodeSingleValueContainer(node: items[index], path: element).decode(String.self))
            }
        }
        return list
    }

    /// A mapping of scalars as strings; null values stay nil.
    private func stringMap() throws -> [String: String?] {
        let entries: [Node.Entry]
        switch node.kind {
        case .mapping(let list): entries = list
        case .scalar(.null): entries = []
        default: throw DecodingFailure.mismatch([String: String].self, expected: "a mapping", node: node, codingPath)
        }
        var map: [String: String?] = [:]
        map.reserveCapacity(entries.count)
        for index in entries.indices {
            let entry = entries[index]
            switch entry.value.kind {
            case .scalar(.null): map[entry.key] = .some(nil)
            case .scalar(let scalar): map[entry.key] = scalar.text
            default:
                let value = LazyCodingPath.child(of: path.link(), AnyCodingKey(entry.key))
                map[entry.key] = try NodeSingleValueContainer(node: entry.value, path: value).decode(String.self)
            }
        }
        return map
    }

    /// A file mode: a string is octal (`"0440"`), an integer is the value itself.
    private func decodeFileMode() throws -> FileMode {
        if case .scalar(.string(let text)) = node.kind {
            guard let mode = FileMode(octal: text) else {
                throw DecodingFailure.corrupted(
                    "invalid file mode \"\(text)\"; expected an octal number such as \"0440\"", codingPath)
            }
            return mode
        }
        return FileMode(try NodeSingleValueContainer(node: node, path: path).decodeInteger(UInt32.self))
    }
}
