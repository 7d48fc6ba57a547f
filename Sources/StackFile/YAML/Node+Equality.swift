extension Node {
    /// True when both nodes hold the same data, ignoring positions, tags and quoting.
    public func sameValue(as other: Node) -> Bool {
        switch (kind, other.kind) {
        case (.scalar(let a), .scalar(let b)):
            return a == b
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count else { return false }
            for entry in a {
                guard let match = b.first(where: { $0.key == entry.key }), match.value.sameValue(as: entry.value) else {
                    return false
                }
            }
            return true
        default:
            return false
        }
    }

    /// Whether any node of the tree carries a `!reset` or `!override` tag.
    public var containsMergeTags: Bool {
        if tag != nil { return true }
        switch kind {
        case .scalar: return false
        case .sequence(let items): return items.contains { $0.containsMergeTags }
        case .mapping(let entries): return entries.contains { $0.value.containsMergeTags }
        }
    }

    /// The tree with every `!reset`/`!override` tag removed (after merging, tags have done their work),
    /// and every mapping entry whose value is tagged `!reset` dropped.
    public func withoutMergeTags() -> Node {
        guard containsMergeTags else { return self }
        var copy = self
        copy.tag = nil
        switch kind {
        case .scalar:
            break
        case .sequence(let items):
            copy.kind = .sequence(items.filter { $0.tag != .reset }.map { $0.withoutMergeTags() })
        case .mapping(let entries):
            copy.kind = .mapping(
                entries.compactMap { entry in
                    guard entry.value.tag != .reset else { return nil }
                    var e = entry
                    e.value = entry.value.withoutMergeTags()
                    return e
                })
        }
        return copy
    }
}
