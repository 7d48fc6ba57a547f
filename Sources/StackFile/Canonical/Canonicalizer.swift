import StackCore

/// Rewrites one stack file from Compose's short syntax to its long syntax, before files are
/// merged, the way `docker compose config` shows them.
///
/// Input: one file's top-level mapping, already interpolated and valid against the schema.
/// Output: the same tree with every service field and top-level element in long form
/// (`"80:8080"` → `{mode: ingress, target: 8080, published: "80", protocol: tcp}`), typed
/// fields coerced (`replicas: "3"` → 3, `mem_limit: 1g` → 1073741824, `stop_grace_period: 90s`
/// → `"1m30s"`), and nothing else: no paths are resolved and no implicit defaults (default
/// network, secret targets, build context) are added.
///
/// Every node keeps the position of the node it came from, and `!reset` / `!override` tags stay
/// on the nodes they were written on (a `!reset` value is left untouched). `x-*` keys are kept
/// as written.
public struct Canonicalizer: Sendable {
    public init() {}

    /// The long form of `root`, one file's top-level mapping.
    public func canonicalize(_ root: Node) throws(StackError) -> Node {
        var warnings: [StackWarning] = []
        return try canonicalize(root, warnings: &warnings)
    }

    /// The long form of `root`; notes deprecated syntax it rewrites (`external: {name: x}`)
    /// in `warnings`.
    public func canonicalize(_ root: Node, warnings: inout [StackWarning]) throws(StackError) -> Node {
        switch root.kind {
        case .scalar(.null): return root
        case .mapping: break
        default: throw canonicalError("top-level object must be a mapping, not a \(root.kindName)", root, .root)
        }
        var result = root
        try result.update("services", .root) { (services, path) throws(StackError) in
            guard services.isMapping else { return services }
            return try services.mapValues(path, ServiceSyntax.canonicalize)
        }
        for kind in ["networks", "volumes", "secrets", "configs"] {
            var found: [StackWarning] = []
            try result.update(kind, .root) { (elements, path) throws(StackError) in
                guard elements.isMapping else { return elements }
                return try elements.mapValues(path) { (element, elementPath) throws(StackError) in
                    try TopLevelSyntax.element(kind, element, elementPath, warnings: &found)
                }
            }
            warnings += found
        }
        try result.update("include", .root) { (include, path) throws(StackError) in
            try include.mapItems(path, TopLevelSyntax.include)
        }
        return result
    }
}
