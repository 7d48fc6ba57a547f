import StackCore

/// Editing helpers for the canonicalization passes.
///
/// Every node a pass creates takes the position (and merge tag) of the node it was derived from,
/// so an error found later still points into the file.
extension Node {
    /// A node of `kind` that keeps this node's position and merge tag.
    func replacing(_ kind: Kind) -> Node {
        Node(kind, mark: mark, tag: tag)
    }

    /// A string scalar that keeps this node's position and tag; marked quoted so no later stage
    /// re-types it (`"8080"` stays a string).
    func replacing(string: String) -> Node {
        Node(.scalar(.string(string)), mark: mark, tag: tag, quoted: true)
    }

    /// A new, untagged string node at this node's position.
    func stringNode(_ text: String) -> Node {
        Node(.scalar(.string(text)), mark: mark, quoted: true)
    }

    /// A new mapping entry whose key is placed at this node's position.
    func entry(_ key: String, _ value: Node) -> Entry {
        Entry(key: key, keyMark: mark, value: value)
    }

    /// Replaces the value of `key` (mapping nodes only) with `transform(value, path/key)`.
    ///
    /// Values tagged `!reset` are left alone: merge removes them, there is nothing to expand.
    /// The transformed value keeps the original value's tag.
    mutating func update(
        _ key: String, _ path: NodePath, _ transform: (Node, NodePath) throws(StackError) -> Node
    ) throws(StackError) {
        guard let (index, value) = indexedValue(key), value.tag != .reset else { return }
        var result = try transform(value, path / key)
        result.tag = value.tag
        withEntries { $0[index].value = result }
    }

    /// The position and value of `key` in a mapping node.
    func indexedValue(_ key: String) -> (Int, Node)? {
        guard case .mapping(let list) = kind, let index = list.firstIndex(where: { $0.key == key }) else { return nil }
        return (index, list[index].value)
    }

    /// Applies `transform` to each item of a sequence node (other kinds are left alone).
    func mapItems(
        _ path: NodePath, _ transform: (Node, NodePath) throws(StackError) -> Node
    ) throws(StackError) -> Node {
        guard case .sequence(let items) = kind else { return self }
        var result: [Node] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if item.tag == .reset {
                result.append(item)
                continue
            }
            var transformed = try transform(item, path / index)
            transformed.tag = item.tag
            result.append(transformed)
        }
        return replacing(.sequence(result))
    }

    /// Applies `transform` to each value of a mapping node (other kinds are left alone).
    func mapValues(
        _ path: NodePath, _ transform: (Node, NodePath) throws(StackError) -> Node
    ) throws(StackError) -> Node {
        guard case .mapping(let entries) = kind else { return self }
        var result: [Node.Entry] = []
        result.reserveCapacity(entries.count)
        for entry in entries {
            var copy = entry
            if entry.value.tag != .reset {
                copy.value = try transform(entry.value, path / entry.key)
                copy.value.tag = entry.value.tag
            }
            result.append(copy)
        }
        return replacing(.mapping(result))
    }

    /// Adds `key: value` at the end of a mapping when the key is missing.
    mutating func setDefault(_ key: String, _ value: Node) {
        guard isMapping, indexedValue(key) == nil else { return }
        let keyMark = mark
        withEntries { $0.append(Entry(key: key, keyMark: keyMark, value: value)) }
    }
}

/// Builds a mapping in document order where a repeated key replaces the earlier value in place
/// (list syntax such as `[A=1, A=2]` keeps the last value, as Compose does).
struct EntryList {
    private(set) var entries: [Node.Entry] = []
    private var index: [String: Int] = [:]

    init() {}

    mutating func set(_ key: String, keyMark: SourceMark, _ value: Node) {
        if let position = index[key] {
            entries[position].value = value
        } else {
            index[key] = entries.count
            entries.append(Node.Entry(key: key, keyMark: keyMark, value: value))
        }
    }

    func contains(_ key: String) -> Bool { index[key] != nil }
}

/// The error every canonicalization failure uses: a stack-file error naming the node.
func canonicalError(_ message: String, _ node: Node, _ path: NodePath) -> StackError {
    StackError(.invalidStackFile, message, mark: node.mark, path: path.description)
}
