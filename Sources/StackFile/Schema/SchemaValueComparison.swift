/// Equality of nodes for `uniqueItems`, and of a node with a schema's `enum`/`const` value.
/// Positions, tags and quoting do not count; numbers compare by value.
enum SchemaValueComparison {
    /// True when the node stands for the JSON value (numeric and boolean strings included, as in typing).
    static func node(_ node: Node, equals value: JSONValue) -> Bool { matches(node, value) }

    private static func matches(_ node: Node, _ value: JSONValue) -> Bool {
        switch (node.kind, value) {
        case (.scalar(.null), .null): return true
        case (.scalar(.bool(let a)), .bool(let b)): return a == b
        case (.scalar(.int(let a)), .number(let b)): return Double(a) == b
        case (.scalar(.float(let a, _)), .number(let b)): return a == b
        case (.scalar(.string(let a)), .string(let b)): return a == b
        case (.scalar(.string(let a)), .number(let b)): return SchemaTypeMatch.numericValue(ofString: a) == b
        case (.scalar(.string(let a)), .bool(let b)): return SchemaTypeMatch.booleanValue(ofString: a) == b
        case (.sequence(let items), .array(let values)):
            return items.count == values.count && zip(items, values).allSatisfy { matches($0, $1) }
        case (.mapping(let entries), .object(let members)):
            return entries.count == members.count && entries.allSatisfy { entry in
                members.contains { $0.key == entry.key && matches(entry.value, $0.value) }
            }
        default: return false
        }
    }

    /// Structural equality of two nodes (mapping order does not count).
    static func equal(_ a: Node, _ b: Node) -> Bool {
        switch (a.kind, b.kind) {
        case (.scalar(let x), .scalar(let y)): return scalarKey(x) == scalarKey(y)
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && x.allSatisfy { entry in
                y.contains { $0.key == entry.key && equal(entry.value, $0.value) }
            }
        default: return false
        }
    }

    /// A value that is equal for equal scalars: kind plus value (integers and floats compare as numbers).
    enum ScalarKey: Hashable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
    }

    static func scalarKey(_ scalar: Scalar) -> ScalarKey {
        switch scalar {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .float(let d, _): return .number(d)
        case .string(let s): return .string(s)
        }
    }

    /// The indices of the first two equal items, if any.
    static func firstDuplicate(_ items: [Node]) -> (first: Int, second: Int)? {
        guard items.count > 1 else { return nil }
        var seen: [ScalarKey: Int] = [:]
        var collections: [Int] = []
        for (index, item) in items.enumerated() {
            if let scalar = item.scalar {
                let key = scalarKey(scalar)
                if let earlier = seen[key] { return (earlier, index) }
                seen[key] = index
            } else {
                if let earlier = collections.first(where: { equal(items[$0], item) }) { return (earlier, index) }
                collections.append(index)
            }
        }
        return nil
    }
}
