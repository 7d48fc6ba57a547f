import StackCore

/// `services.*.build` in long form: a string is the context; the mapping gets its key/value
/// lists as mappings, string-or-list fields as lists, and typed scalars normalized.
enum BuildSyntax {
    static func canonicalize(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(.string): return node.replacing(.mapping([node.entry("context", node)]))
        case .mapping: break
        default: throw canonicalError("invalid type \(node.kindName) for build", node, path)
        }
        var build = node
        try build.update("args", path, KeyValueSyntax.environment)
        try build.update("labels", path, KeyValueSyntax.labels)
        try build.update("additional_contexts", path, KeyValueSyntax.strictKeyValues)
        try build.update("ssh", path, KeyValueSyntax.ssh)
        try build.update("extra_hosts", path, KeyValueSyntax.extraHosts)
        try build.update("secrets", path) { (secrets, secretsPath) throws(StackError) in
            try secrets.mapItems(secretsPath, ServiceFields.fileMount)
        }
        try build.update("ulimits", path, ServiceFields.ulimits)
        try build.update("shm_size", path) { (size, sizePath) throws(StackError) in try Coerce.bytes(size, sizePath) }
        for key in ["provenance", "sbom"] { try build.update(key, path, Coerce.string) }
        for key in ["no_cache", "pull", "privileged"] { try build.update(key, path, Coerce.bool) }
        for key in ["cache_from", "cache_to", "no_cache_filter", "tags", "platforms", "entitlements"] {
            try build.update(key, path, Coerce.stringList)
        }
        return build
    }
}
