import StackCore

/// Long forms of the top-level `networks`, `volumes`, `secrets`, `configs` and `include` entries.
enum TopLevelSyntax {
    /// One named element of `networks`/`volumes`/`secrets`/`configs` (`kind`).
    ///
    /// A null definition becomes an empty mapping; the legacy `external: {name: x}` becomes
    /// `external: true` plus `name: x` (an error when it contradicts `name`).
    static func element(
        _ kind: String, _ node: Node, _ path: NodePath, warnings: inout [StackWarning]
    ) throws(StackError) -> Node {
        if node.isNull { return node.replacing(.mapping([])) }
        guard node.isMapping else { return node }
        var element = node
        if let external = node["external"], external.isMapping, external.tag != .reset {
            element["external"] = Node(.scalar(.bool(true)), mark: external.mark, tag: external.tag)
            if let externalName = external["name"] {
                warnings.append(
                    StackWarning(
                        "external.name is deprecated, set name and external: true", mark: external.mark,
                        path: (path / "external").description))
                if let name = node["name"] {
                    if name.scalarText != externalName.scalarText {
                        throw canonicalError("name and external.name conflict; only use name", externalName, path)
                    }
                } else {
                    element["name"] = externalName
                }
            }
        } else {
            try element.update("external", path, Coerce.bool)
        }
        try element.update("labels", path, KeyValueSyntax.labels)
        try element.update("driver_opts", path, KeyValueSyntax.options)
        if kind == "networks" {
            for key in ["internal", "attachable", "enable_ipv4", "enable_ipv6"] {
                try element.update(key, path, Coerce.bool)
            }
            try element.update("ipam", path, ipam)
        }
        return element
    }

    private static func ipam(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var ipam = node
        try ipam.update("options", path, KeyValueSyntax.options)
        try ipam.update("config", path) { (pools, poolsPath) throws(StackError) in
            try pools.mapItems(poolsPath) { (pool, poolPath) throws(StackError) in
                var pool = pool
                try pool.update("aux_addresses", poolPath, KeyValueSyntax.labels)
                return pool
            }
        }
        return ipam
    }

    /// An `include` entry: a path string → `{path: [path]}`; `path` and `env_file` as lists.
    static func include(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var entry = node
        if node.string != nil { entry = node.replacing(.mapping([node.entry("path", node)])) }
        try entry.update("path", path, Coerce.stringList)
        try entry.update("env_file", path, Coerce.stringList)
        return entry
    }
}
