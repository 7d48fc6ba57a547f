import StackCore

/// Long forms of the smaller service fields.
enum ServiceFields {
    /// `env_file`: a path or a list of paths / `{path, required, format}` → list of mappings
    /// with `required` (default true).
    static func envFiles(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(.string): return node.replacing(.sequence([envFile(node)]))
        case .sequence:
            return try node.mapItems(path) { (item, itemPath) throws(StackError) in
                switch item.kind {
                case .scalar(.string): return envFile(item)
                case .mapping:
                    var entry = item
                    try entry.update("required", itemPath, Coerce.bool)
                    entry.setDefault("required", .bool(true, item.mark))
                    return entry
                default:
                    throw canonicalError("invalid type \(item.kindName) for env_file entry", item, itemPath)
                }
            }
        default:
            throw canonicalError("invalid type \(node.kindName) for env_file", node, path)
        }
    }

    private static func envFile(_ item: Node) -> Node {
        Node(.mapping([item.entry("path", item), item.entry("required", .bool(true, item.mark))]), mark: item.mark)
    }

    /// `depends_on`: a list of names → `{name: {condition: service_started, required: true}}`.
    /// The mapping form gets its defaults after merging (the normalizer), so an override that
    /// only sets `required` keeps the base's `condition`.
    static func dependsOn(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .sequence(let items):
            var result = EntryList()
            for (index, item) in items.enumerated() {
                guard let name = item.string else {
                    throw canonicalError("depends_on entries must be service names, not \(item.kindName)", item, path / index)
                }
                let condition = item.entry("condition", item.stringNode("service_started"))
                let required = item.entry("required", .bool(true, item.mark))
                result.set(name, keyMark: item.mark, .mapping([condition, required], item.mark))
            }
            return node.replacing(.mapping(result.entries))
        case .mapping:
            return try node.mapValues(path) { (dependency, dependencyPath) throws(StackError) in
                guard dependency.isMapping else {
                    throw canonicalError("unsupported value \(dependency.kindName) for a dependency", dependency, dependencyPath)
                }
                var entry = dependency
                try entry.update("required", dependencyPath, Coerce.bool)
                try entry.update("restart", dependencyPath, Coerce.bool)
                return entry
            }
        default:
            throw canonicalError("invalid type \(node.kindName) for depends_on", node, path)
        }
    }

    /// A list of names → a mapping of those names to null (`networks`, `models`).
    static func namesToMapping(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard case .sequence(let items) = node.kind else { return node }
        var result = EntryList()
        for (index, item) in items.enumerated() {
            guard case .scalar(let scalar) = item.kind, scalar != .null else {
                throw canonicalError("must be a name, not a \(item.kindName)", item, path / index)
            }
            result.set(scalar.text, keyMark: item.mark, .null(item.mark))
        }
        return node.replacing(.mapping(result.entries))
    }

    /// Service `networks`: list → mapping; per-network settings normalized.
    static func networks(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        let mapping = try namesToMapping(node, path)
        return try mapping.mapValues(path) { (network, networkPath) throws(StackError) in
            guard network.isMapping else { return network }
            var entry = network
            try entry.update("aliases", networkPath, Coerce.stringList)
            try entry.update("link_local_ips", networkPath, Coerce.stringList)
            try entry.update("driver_opts", networkPath, KeyValueSyntax.options)
            try entry.update("priority", networkPath, Coerce.int)
            try entry.update("gw_priority", networkPath, Coerce.int)
            return entry
        }
    }

    /// `command` / `entrypoint`: a string is split into words as a shell would (no expansion);
    /// a list is kept (items as strings); null stays null.
    static func command(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(.string(let line)):
            let words: [String]
            do {
                words = try ShellWords.split(line)
            } catch {
                throw canonicalError(error.message, node, path)
            }
            return node.replacing(.sequence(words.map { node.stringNode($0) }))
        case .sequence: return try node.mapItems(path, Coerce.string)
        default: throw canonicalError("must be a string or a list of strings, not a \(node.kindName)", node, path)
        }
    }

    /// `healthcheck`: a string `test` → `["CMD-SHELL", test]`; durations in Go format.
    static func healthcheck(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard node.isMapping else { return node }
        var result = node
        try result.update("test", path) { (test, testPath) throws(StackError) in
            switch test.kind {
            case .scalar(.string): return test.replacing(.sequence([test.stringNode("CMD-SHELL"), test]))
            case .sequence: return try test.mapItems(testPath, Coerce.string)
            case .scalar(.null): return test
            default: throw canonicalError("unexpected value type \(test.kindName) for healthcheck.test", test, testPath)
            }
        }
        for key in ["interval", "timeout", "start_period", "start_interval"] {
            try result.update(key, path, Coerce.duration)
        }
        try result.update("retries", path, Coerce.int)
        try result.update("disable", path, Coerce.bool)
        return result
    }

    /// `ulimits`: `nofile: 1024` stays a single integer (Compose prints it so; the model reads
    /// it as soft = hard); `{soft, hard}` get integers.
    static func ulimits(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard node.isMapping else { return node }
        return try node.mapValues(path) { (limit, limitPath) throws(StackError) in
            guard limit.isMapping else { return try Coerce.int(limit, limitPath) }
            var entry = limit
            try entry.update("soft", limitPath, Coerce.int)
            try entry.update("hard", limitPath, Coerce.int)
            return entry
        }
    }

    /// `logging.options` values as strings.
    static func logging(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var result = node
        try result.update("options", path, KeyValueSyntax.options)
        return result
    }

    /// A string shorthand for a mapping with one key (`extends: web` → `{service: web}`).
    static func wrapString(_ node: Node, _ path: NodePath, key: String) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.string): return node.replacing(.mapping([node.entry(key, node)]))
        case .mapping, .scalar(.null): return node
        default: throw canonicalError("invalid type \(node.kindName), expected a string or a mapping", node, path)
        }
    }

    /// `secrets` / `configs` entries: a name → `{source: name}`; uid/gid as strings, mode as a number.
    static func fileMount(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        switch item.kind {
        case .scalar(.string): return item.replacing(.mapping([item.entry("source", item)]))
        case .mapping:
            var entry = item
            try entry.update("uid", path, Coerce.string)
            try entry.update("gid", path, Coerce.string)
            try entry.update("mode", path, Coerce.fileMode)
            return entry
        default: throw canonicalError("unsupported type \(item.kindName)", item, path)
        }
    }

    /// `devices` entries: `SRC[:DST[:PERMISSIONS]]` → `{source, target, permissions}`
    /// (target defaults to the source, permissions to `rwm`).
    static func device(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        guard case .scalar(.string(let spec)) = item.kind else {
            if item.isMapping { return item }
            throw canonicalError("invalid type \(item.kindName) for a device mapping", item, path)
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3 else {
            throw canonicalError("confusing device mapping, please use long syntax: \(spec)", item, path)
        }
        let source = parts[0]
        let target = parts.count > 1 && !parts[1].isEmpty ? parts[1] : source
        let permissions = parts.count > 2 ? parts[2] : "rwm"
        return item.replacing(
            .mapping([
                item.entry("source", item.stringNode(source)),
                item.entry("target", item.stringNode(target)),
                item.entry("permissions", item.stringNode(permissions)),
            ]))
    }

    /// `pre_start` / `post_start` / `pre_stop` entries and `develop.watch[].exec`.
    static func hook(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        guard item.isMapping else { return item }
        var entry = item
        try entry.update("command", path, command)
        try entry.update("environment", path, KeyValueSyntax.environment)
        try entry.update("privileged", path, Coerce.bool)
        try entry.update("per_replica", path, Coerce.bool)
        return entry
    }

    /// `develop.watch[]`: `ignore`/`include` as lists, `initial_sync` boolean, `exec` hook.
    static func develop(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var result = node
        try result.update("watch", path) { (watch, watchPath) throws(StackError) in
            try watch.mapItems(watchPath) { (rule, rulePath) throws(StackError) in
                var entry = rule
                try entry.update("ignore", rulePath, Coerce.stringList)
                try entry.update("include", rulePath, Coerce.stringList)
                try entry.update("initial_sync", rulePath, Coerce.bool)
                try entry.update("exec", rulePath, hook)
                return entry
            }
        }
        return result
    }
}
