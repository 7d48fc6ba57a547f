/// The order in which `stack config` prints mapping keys: top-level elements in Compose's order,
/// everything else sorted, so output is stable and diffable.
enum NodeOrdering {
    static let topLevel = ["name", "include", "services", "networks", "volumes", "secrets", "configs", "models"]

    static func sortedEntries(_ entries: [Node.Entry], topLevel isTop: Bool) -> [Node.Entry] {
        if isTop {
            return entries.sorted { a, b in
                let ia = topLevel.firstIndex(of: a.key) ?? topLevel.count
                let ib = topLevel.firstIndex(of: b.key) ?? topLevel.count
                return ia != ib ? ia < ib : a.key < b.key
            }
        }
        return entries.sorted { $0.key < $1.key }
    }

    /// The indices of `entries` in output order: sorting indices moves no entries.
    static func sortedIndices(_ entries: [Node.Entry], topLevel isTop: Bool) -> [Int] {
        if isTop {
            return entries.indices.sorted { a, b in
                let ia = topLevel.firstIndex(of: entries[a].key) ?? topLevel.count
                let ib = topLevel.firstIndex(of: entries[b].key) ?? topLevel.count
                return ia != ib ? ia < ib : entries[a].key < entries[b].key
            }
        }
        return entries.indices.sorted { entries[$0].key < entries[$1].key }
    }
}
