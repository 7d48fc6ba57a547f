import StackCore

/// Applies top-level `include`: each entry is loaded as a stack of its own (its own project
/// directory and `.env`), and its services, networks, volumes, secrets and configs are added.
/// A name that is already defined differently is an error, not a merge, as in Compose.
struct IncludeResolver {
    let pipeline: FilePipeline
    let loader: StackLoader
    let options: LoadOptions
    let variables: [String: String]

    static let maxDepth = 16

    /// Canonical form of one `include` entry with absolute paths: `{path: [..], project_directory, env_file: [..]}`.
    static func canonicalEntry(_ entry: Node, directory: String) -> Node {
        let mark = entry.mark
        func absolute(_ node: Node) -> Node {
            guard let text = node.scalarText else { return node }
            return .string(PathName.absolute(text, base: directory), node.mark)
        }
        func list(_ node: Node?) -> Node? {
            guard let node else { return nil }
            if let items = node.items { return .sequence(items.map(absolute), node.mark) }
            return .sequence([absolute(node)], node.mark)
        }
        if entry.scalar != nil {
            return .mapping([Node.Entry(key: "path", keyMark: mark, value: .sequence([absolute(entry)], mark))], mark)
        }
        var result = entry
        if let path = list(entry["path"]) { result["path"] = path }
        if let envFile = list(entry["env_file"]) { result["env_file"] = envFile }
        if let directoryNode = entry["project_directory"] { result["project_directory"] = absolute(directoryNode) }
        return result
    }

    func apply(to root: Node, warnings: inout [StackWarning]) throws(StackError) -> Node {
        guard let includes = root["include"]?.items else { return root }
        let depth = Int(options.environment["__STACK_INCLUDE_DEPTH"] ?? "0") ?? 0
        guard depth < Self.maxDepth else {
            throw StackError(
                .invalidStackFile, "include nested more than \(Self.maxDepth) levels deep (an include cycle?)",
                mark: root["include"]?.mark, path: "include")
        }
        var root = root
        for (index, entry) in includes.enumerated() {
            let path = NodePath.root / "include" / index
            guard let files = entry["path"]?.items?.compactMap(\.scalarText), !files.isEmpty else {
                throw StackError(.invalidStackFile, "include entry needs a path", mark: entry.mark, path: path.description)
            }
            for file in files where !pipeline.fileSystem.exists(file) {
                throw StackError(
                    .invalidStackFile, "included file \(file) not found", mark: entry["path"]?.mark ?? entry.mark,
                    path: (path / "path").description)
            }
            var sub = LoadOptions()
            sub.files = files
            sub.projectDirectory = entry["project_directory"]?.scalarText ?? PathName.directory(files[0])
            sub.envFiles = entry["env_file"]?.items?.compactMap(\.scalarText) ?? []
            sub.environment = options.environment
            sub.environment["__STACK_INCLUDE_DEPTH"] = String(depth + 1)
            sub.projectName = variables["COMPOSE_PROJECT_NAME"]
            sub.profiles = options.profiles
            sub.interpolate = options.interpolate
            sub.workingDirectory = sub.projectDirectory ?? "/"
            let included: ResolvedStack
            do {
                included = try loader.resolve(sub)
            } catch {
                throw StackError(
                    error.code, "in included stack \(files.joined(separator: ", ")): \(error.message)",
                    mark: error.mark ?? entry.mark, path: error.path)
            }
            warnings += included.warnings
            for section in ["services", "networks", "volumes", "secrets", "configs"] {
                guard let imported = included.canonical[section]?.entries else { continue }
                var target = root[section] ?? .mapping([], entry.mark)
                for item in imported {
                    if let existing = target[item.key] {
                        if existing.sameValue(as: item.value) { continue }
                        throw StackError(
                            .invalidStackFile,
                            "\(section).\(item.key) is defined both here and in included stack \(files[0]); include does not merge",
                            mark: target.entry(item.key)?.keyMark ?? entry.mark, path: "\(section).\(item.key)")
                    }
                    target[item.key] = item.value
                }
                root[section] = target
            }
        }
        root["include"] = nil
        return root
    }
}
