/// Merges canonical (long-syntax) stack-file trees with Compose's rules.
///
/// Mappings merge key by key and the later value wins for scalars; sequences are appended
/// (dropping exact duplicates); `command`, `entrypoint` and `healthcheck.test` are replaced;
/// `ports`, `volumes`, `secrets`, `configs`, `devices` and `env_file` merge by their unique key
/// (an override entry replaces the base entry in place); `ulimits` entries and `logging` with a
/// different driver are replaced whole. `!reset` removes the inherited value, `!override`
/// replaces it without merging.
public struct Merger: Sendable {
    public init() {}

    /// Merges `override` onto `base`, both top-level stack-file mappings (or service mappings
    /// when `path` points at a service, as `extends` does).
    public func merge(_ base: Node, _ override: Node, path: NodePath = .root) -> Node {
        mergeNode(base, override, path: path.components.map(componentName))
    }

    private func componentName(_ c: NodePath.Component) -> String {
        switch c {
        case .key(let k): return k
        case .index: return "[]"
        }
    }

    private func mergeNode(_ base: Node, _ override: Node, path: [String]) -> Node {
        if override.tag == .override || override.tag == .reset { return override }
        switch (base.kind, override.kind) {
        case (.mapping(let b), .mapping(let o)):
            return mergeMappings(base, b, o, override: override, path: path)
        case (.sequence(let b), .sequence(let o)):
            var result = override
            result.kind = .sequence(mergeSequences(b, o, path: path))
            return result
        default:
            return override
        }
    }

    private func mergeMappings(
        _ baseNode: Node, _ base: [Node.Entry], _ over: [Node.Entry], override: Node, path: [String]
    ) -> Node {
        if replacesWhole(path: path, base: baseNode, override: override) { return override }
        var entries = base
        for entry in over {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                if entry.value.tag == .reset {
                    entries.remove(at: index)
                    continue
                }
                var merged = entries[index]
                merged.value = mergeNode(entries[index].value, entry.value, path: path + [entry.key])
                merged.keyMark = entry.keyMark
                entries[index] = merged
            } else if entry.value.tag != .reset {
                entries.append(entry)
            }
        }
        var result = override
        result.kind = .mapping(entries)
        return result
    }

    /// Mappings that Compose replaces instead of merging.
    private func replacesWhole(path: [String], base: Node, override: Node) -> Bool {
        guard path.count >= 3, path[0] == "services" else { return false }
        let field = Array(path.dropFirst(2))
        // Each ulimit is replaced as a unit.
        if field.count == 2, field[0] == "ulimits" { return true }
        // Logging with a different driver starts over.
        if field == ["logging"], let a = base["driver"]?.scalarText, let b = override["driver"]?.scalarText, a != b {
            return true
        }
        return false
    }

    private func mergeSequences(_ base: [Node], _ over: [Node], path: [String]) -> [Node] {
        if path.count == 4, path[0] == "networks", path[2] == "ipam", path[3] == "config" {
            return mergeKeyed(base, over, combine: true) { $0["subnet"]?.scalarText }
        }
        let field = path.count >= 3 && path[0] == "services" ? Array(path.dropFirst(2)) : []
        switch field {
        case ["command"], ["entrypoint"], ["healthcheck", "test"]:
            return over
        case ["ports"]:
            return mergeKeyed(base, over) { port in
                ["host_ip", "target", "published", "protocol"].map { port[$0]?.scalarText ?? "" }.joined(separator: "|")
            }
        case ["volumes"], ["devices"]:
            return mergeKeyed(base, over) { $0["target"]?.scalarText ?? $0.scalarText }
        case ["secrets"]:
            return mergeKeyed(base, over) { $0["target"]?.scalarText ?? $0["source"]?.scalarText.map { "/run/secrets/" + $0 } }
        case ["configs"]:
            return mergeKeyed(base, over) { $0["target"]?.scalarText ?? $0["source"]?.scalarText.map { "/" + $0 } }
        case ["links"], ["external_links"]:
            // `service[:alias]`: one link per service.
            return mergeKeyed(base, over) { item in
                item.scalarText.map { String($0.split(whereSeparator: { $0 == ":" || $0 == "=" }).first ?? "") }
            }
        case ["env_file"]:
            return mergeKeyed(base, over) { $0["path"]?.scalarText ?? $0.scalarText }
        default:
            var result = base
            for item in over where !result.contains(where: { $0.sameValue(as: item) }) {
                result.append(item)
            }
            return result
        }
    }

    /// Merges two sequences whose items have a unique key: an override item replaces (or with
    /// `combine`, is merged into) the base item with the same key in place; new keys are appended.
    private func mergeKeyed(
        _ base: [Node], _ over: [Node], combine: Bool = false, key: (Node) -> String?
    ) -> [Node] {
        var result = base
        for item in over {
            if let k = key(item), let index = result.firstIndex(where: { key($0) == k }) {
                result[index] = combine ? mergeNode(result[index], item, path: []) : item
            } else {
                result.append(item)
            }
        }
        return result
    }
}
