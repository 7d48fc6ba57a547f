import StackCore

/// Fields written either as a mapping or as a list of `KEY=VALUE` strings, in mapping form.
///
/// Two flavours, as in Compose: `environment` and `build.args` keep a bare `KEY` (or `KEY:` with
/// no value) as null, meaning "take it from the environment, or leave it unset"; labels,
/// annotations, sysctls and the like turn it into an empty string. Numbers and booleans become
/// their text in both.
enum KeyValueSyntax {
    /// `environment`, `build.args`, hook environments: null marks a variable without a value.
    static func environment(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        try keyValues(node, path, bareValue: nil, checkTrailingSpace: true)
    }

    /// `labels`, `annotations`, `sysctls`, `volume.labels`, `aux_addresses`…: a bare key maps to "".
    static func labels(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        try keyValues(node, path, bareValue: "", checkTrailingSpace: false)
    }

    /// Option mappings (`driver_opts`, `logging.options`, `storage_opt`): values become strings,
    /// null becomes "".
    static func options(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard node.isMapping else { return node }
        return try node.mapValues(path) { (value, valuePath) throws(StackError) in
            value.isNull ? value.replacing(string: "") : try Coerce.string(value, valuePath)
        }
    }

    /// `build.additional_contexts`: list entries must have a `=`.
    static func strictKeyValues(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        if let items = node.items {
            for (index, item) in items.enumerated() where !(item.scalarText ?? "").contains(ascii: "=") {
                throw canonicalError(
                    "invalid value \(item.scalarText ?? item.kindName), expected key=value", item, path / index)
            }
        }
        return try labels(node, path)
    }

    private static func keyValues(
        _ node: Node, _ path: NodePath, bareValue: String?, checkTrailingSpace: Bool
    ) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null):
            return node
        case .mapping(let entries):
            var result: [Node.Entry] = []
            for entry in entries {
                var copy = entry
                copy.value = try value(entry.value, path / entry.key, bareValue: bareValue)
                result.append(copy)
            }
            return node.replacing(.mapping(result))
        case .sequence(let items):
            var result = EntryList()
            for (index, item) in items.enumerated() {
                guard case .scalar(let scalar) = item.kind, scalar != .null else {
                    throw canonicalError("must be a KEY=VALUE string, not a \(item.kindName)", item, path / index)
                }
                let text = scalar.text
                let key: String
                let value: Node
                if let equals = text.firstIndex(of: "=") {
                    key = String(text[..<equals])
                    value = item.stringNode(String(text[text.index(after: equals)...]))
                } else {
                    key = text
                    value = bareValue.map { item.stringNode($0) } ?? .null(item.mark)
                }
                if checkTrailingSpace, let last = key.unicodeScalars.last, last.properties.isWhitespace {
                    throw canonicalError(
                        "environment variable \(key) is declared with a trailing space", item, path / index)
                }
                result.set(key, keyMark: item.mark, value)
            }
            return node.replacing(.mapping(result.entries))
        case .scalar:
            throw canonicalError("must be a mapping or a list of KEY=VALUE strings, not a \(node.kindName)", node, path)
        }
    }

    private static func value(_ node: Node, _ path: NodePath, bareValue: String?) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null):
            guard let bareValue else { return node }
            return node.replacing(string: bareValue)
        case .scalar(.string):
            return node
        case .scalar(let scalar):
            return node.replacing(string: scalar.text)
        default:
            throw canonicalError("must be a boolean, null, number or string", node, path)
        }
    }

    /// `extra_hosts` as Compose prints it: a sorted list of `host=ip` strings, one per address.
    /// Accepts `host=ip`, `host:ip`, `host=ip1,ip2`, and the mapping forms `host: ip` and
    /// `host: [ip1, ip2]`; brackets around IPv6 addresses are removed.
    static func extraHosts(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var pairs: [(host: String, ip: String, item: Node, path: NodePath)] = []
        switch node.kind {
        case .scalar(.null):
            return node
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                guard let text = item.scalarText, !item.isNull else {
                    throw canonicalError("must be a host=ip string, not a \(item.kindName)", item, path / index)
                }
                let separator = text.firstIndex(of: "=") ?? text.firstIndex(of: ":")
                guard let separator else {
                    throw canonicalError("invalid additional host, missing IP: \(text)", item, path / index)
                }
                let host = String(text[..<separator])
                for ip in text[text.index(after: separator)...].split(separator: ",", omittingEmptySubsequences: false) {
                    pairs.append((host, String(ip), item, path / index))
                }
            }
        case .mapping(let entries):
            for entry in entries {
                let entryPath = path / entry.key
                switch entry.value.kind {
                case .scalar(let scalar):
                    pairs.append((entry.key, scalar.text, entry.value, entryPath))
                case .sequence(let ips):
                    for (index, ip) in ips.enumerated() {
                        guard let text = ip.scalarText else {
                            throw canonicalError("must be an IP address, not a \(ip.kindName)", ip, entryPath / index)
                        }
                        pairs.append((entry.key, text, ip, entryPath / index))
                    }
                case .mapping:
                    throw canonicalError("unexpected value type mapping for extra_hosts entry", entry.value, entryPath)
                }
            }
        case .scalar:
            throw canonicalError("must be a mapping or a list, not a \(node.kindName)", node, path)
        }
        var lines: [(text: String, item: Node)] = []
        for pair in pairs {
            if pair.host.isEmpty || pair.host.contains(ascii: ":") || pair.host.contains(ascii: "=") {
                throw canonicalError("bad host name '\(pair.host)'", pair.item, pair.path)
            }
            var ip = pair.ip
            if ip.count > 2 && ip.hasPrefix("[") && ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
            lines.append(("\(pair.host)=\(ip)", pair.item))
        }
        lines.sort { $0.text < $1.text }
        return node.replacing(.sequence(lines.map { $0.item.stringNode($0.text) }))
    }

    /// `build.ssh`: `[default, id=path]` → `{default: null, id: path}`.
    static func ssh(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .sequence(let items):
            var result = EntryList()
            for (index, item) in items.enumerated() {
                guard case .scalar(.string(let text)) = item.kind else {
                    throw canonicalError("invalid ssh key type \(item.kindName)", item, path / index)
                }
                if let equals = text.firstIndex(of: "=") {
                    result.set(
                        String(text[..<equals]), keyMark: item.mark,
                        item.stringNode(String(text[text.index(after: equals)...])))
                } else if text == "default" {
                    result.set(text, keyMark: item.mark, .null(item.mark))
                } else {
                    throw canonicalError("invalid ssh key \"\(text)\"", item, path / index)
                }
            }
            return node.replacing(.mapping(result.entries))
        case .mapping:
            return try node.mapValues(path) { (value, valuePath) throws(StackError) in
                try Coerce.string(value, valuePath)
            }
        default:
            return node
        }
    }
}
