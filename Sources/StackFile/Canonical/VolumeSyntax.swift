import StackCore

/// `services.*.volumes` in long form.
///
/// A short entry `SRC:DST[:OPTIONS]` becomes `{type, source, target, …}`: SRC starting with
/// `/`, `.` or `~` is a bind mount (with `bind.create_host_path: true`, Compose's legacy
/// behaviour for short syntax), anything else a named volume; `DST` alone is an anonymous
/// volume. Options: `ro`/`rw`, `nocopy`, SELinux `z`/`Z`, propagation (`rprivate` …); unknown
/// options are ignored, as Compose ignores them. `${…}` sections are not split at colons.
/// Windows drive letters and named pipes are not recognized.
enum VolumeSyntax {
    struct SpecError: Error {
        var message: String
    }

    /// The parts of a short entry.
    struct ShortMount: Equatable {
        var type = "volume"
        var source = ""
        var target = ""
        var readOnly = false
        var selinux = ""
        var propagation = ""
        var hasBindOptions = false
        var noCopy = false
    }

    static let propagations: Set<String> = ["rprivate", "private", "rshared", "shared", "rslave", "slave"]

    static func canonicalize(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        if node.isNull { return node }
        guard node.isSequence else {
            throw canonicalError("invalid type \(node.kindName) for service volumes, expected a list", node, path)
        }
        return try node.mapItems(path, mount)
    }

    static func mount(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        switch item.kind {
        case .scalar(.string(let spec)):
            do {
                return mappingNode(for: try parse(spec), from: item)
            } catch {
                throw canonicalError(error.message, item, path)
            }
        case .mapping:
            return try longForm(item, path)
        default:
            throw canonicalError("invalid type \(item.kindName) for service volume mount", item, path)
        }
    }

    /// Normalizes a long-syntax entry: booleans, byte sizes and modes; a bind needs a source.
    static func longForm(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        var entry = item
        if item["type"]?.string == "bind", (item["source"]?.scalarText ?? "").isEmpty {
            throw canonicalError(
                "invalid mount config for type \"bind\": field Source must not be empty", item, path)
        }
        try entry.update("read_only", path, Coerce.bool)
        try entry.update("bind", path) { (bind, bindPath) throws(StackError) in
            var bind = bind
            try bind.update("create_host_path", bindPath, Coerce.bool)
            return bind
        }
        try entry.update("volume", path) { (volume, volumePath) throws(StackError) in
            var volume = volume
            try volume.update("nocopy", volumePath, Coerce.bool)
            try volume.update("labels", volumePath, KeyValueSyntax.labels)
            return volume
        }
        try entry.update("tmpfs", path) { (tmpfs, tmpfsPath) throws(StackError) in
            var tmpfs = tmpfs
            try tmpfs.update("size", tmpfsPath) { (size, sizePath) throws(StackError) in
                if case .scalar(.float(_, let text)) = size.kind {
                    throw canonicalError("tmpfs size must be an integer, not \(text)", size, sizePath)
                }
                return try Coerce.bytes(size, sizePath, allowNegative: false)
            }
            try tmpfs.update("mode", tmpfsPath, Coerce.fileMode)
            return tmpfs
        }
        return entry
    }

    private static func mappingNode(for mount: ShortMount, from item: Node) -> Node {
        var entries = [item.entry("type", item.stringNode(mount.type))]
        if !mount.source.isEmpty { entries.append(item.entry("source", item.stringNode(mount.source))) }
        entries.append(item.entry("target", item.stringNode(mount.target)))
        if mount.readOnly { entries.append(item.entry("read_only", .bool(true, item.mark))) }
        if mount.type == "bind" || mount.hasBindOptions {
            var bind: [Node.Entry] = []
            if !mount.selinux.isEmpty { bind.append(item.entry("selinux", item.stringNode(mount.selinux))) }
            if !mount.propagation.isEmpty {
                bind.append(item.entry("propagation", item.stringNode(mount.propagation)))
            }
            if mount.type == "bind" { bind.append(item.entry("create_host_path", .bool(true, item.mark))) }
            entries.append(item.entry("bind", .mapping(bind, item.mark)))
        }
        if mount.noCopy {
            entries.append(item.entry("volume", .mapping([item.entry("nocopy", .bool(true, item.mark))], item.mark)))
        }
        return Node(.mapping(entries), mark: item.mark, tag: item.tag)
    }

    /// Parses a short entry.
    static func parse(_ spec: String) throws(SpecError) -> ShortMount {
        var mount = ShortMount()
        switch spec.utf8.count {
        case 0:
            throw SpecError(message: "invalid empty volume spec")
        case 1, 2:
            mount.target = spec
            return mount
        default:
            break
        }
        let scalars = Array(spec.unicodeScalars)
        var buffer = String.UnicodeScalarView()
        var substitutionDepth = 0
        var index = 0
        while index <= scalars.count {
            let atEnd = index == scalars.count
            let character: Unicode.Scalar = atEnd ? "\0" : scalars[index]
            index += 1
            if !atEnd && character == "$" && index < scalars.count && scalars[index] == "{" {
                substitutionDepth += 1
                buffer.append(character)
                continue
            }
            if !atEnd && character == "}" && substitutionDepth > 0 {
                substitutionDepth -= 1
                buffer.append(character)
                continue
            }
            if (atEnd || character == ":") && substitutionDepth == 0 {
                do {
                    try populate(&mount, with: String(buffer), atEnd: atEnd)
                } catch {
                    throw SpecError(message: "invalid spec: \(spec): \(error.message)")
                }
                buffer = String.UnicodeScalarView()
            } else if !atEnd {
                buffer.append(character)
            }
        }
        if isFilePath(mount.source) {
            mount.type = "bind"
        }
        mount.target = cleanPath(mount.target)
        return mount
    }

    private static func populate(_ mount: inout ShortMount, with section: String, atEnd: Bool) throws(SpecError) {
        if section.isEmpty { throw SpecError(message: "empty section between colons") }
        if mount.source.isEmpty && atEnd {
            mount.target = section
            return
        }
        if mount.source.isEmpty {
            mount.source = section
            return
        }
        if mount.target.isEmpty {
            mount.target = section
            return
        }
        if !atEnd { throw SpecError(message: "too many colons") }
        for option in section.split(separator: ",", omittingEmptySubsequences: false) {
            switch option {
            case "ro": mount.readOnly = true
            case "rw": mount.readOnly = false
            case "nocopy": mount.noCopy = true
            case "z", "Z":
                mount.selinux = String(option)
                mount.hasBindOptions = true
            default:
                if propagations.contains(String(option)) {
                    mount.propagation = String(option)
                    mount.hasBindOptions = true
                }
            }
        }
    }

    /// A host path (bind mount source) rather than a volume name.
    static func isFilePath(_ source: String) -> Bool {
        guard let first = source.first else { return false }
        return first == "." || first == "/" || first == "~"
    }

    /// Lexical path cleaning as Go's `path.Clean` does it: no `.`, resolved `..`, no double slash.
    static func cleanPath(_ path: String) -> String {
        guard !path.isEmpty else { return "" }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let body = parts.joined(separator: "/")
        if rooted { return "/" + body }
        return body.isEmpty ? "." : body
    }
}
