import StackCore

/// Builds decoding errors with readable messages, and turns them into `StackError`s that name
/// the node.
enum DecodingFailure {
    /// A type mismatch: "expected an integer, got string "abc"".
    static func mismatch(
        _ type: Any.Type, expected: String, node: Node, _ codingPath: [any CodingKey]
    ) -> DecodingError {
        DecodingError.typeMismatch(
            type,
            DecodingError.Context(codingPath: codingPath, debugDescription: "expected \(expected), got \(describe(node))"))
    }

    /// A value of the right kind that is still invalid.
    static func corrupted(_ message: String, _ codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message))
    }

    /// A short description of a node for messages: `string "abc"`, `a mapping`, `null`.
    static func describe(_ node: Node) -> String {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar(.null): return "null"
        case .scalar(.string(let text)):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "string \"\(shown)\""
        case .scalar(let scalar): return "\(scalar.kindName) \(scalar.text)"
        }
    }

    /// The `StackError` for `error`: its message, and the mark and path of the node it is about
    /// (for a missing key, the mapping that lacks it).
    static func stackError(for error: DecodingError, root: Node, rootPath: NodePath) -> StackError {
        let codingPath: [any CodingKey]
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            codingPath = context.codingPath
            message = "missing required key \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            codingPath = context.codingPath
            message = context.debugDescription
        @unknown default:
            codingPath = []
            message = "\(error)"
        }
        var path = rootPath
        var node = root
        for key in codingPath {
            if let index = key as? NodeIndexKey {
                path = path / index.index
                if let items = node.items, items.indices.contains(index.index) { node = items[index.index] }
            } else {
                path = path / key.stringValue
                if let child = node[key.stringValue] { node = child }
            }
        }
        return StackError(.invalidStackFile, message, mark: node.mark, path: path.description)
    }
}
