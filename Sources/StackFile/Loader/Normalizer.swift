import StackCore

/// Fills in what `docker compose config` shows but the file leaves implicit: the project name,
/// the `default` network for services without networks, resource names (`<project>_<key>`),
/// absolute host paths, `env_file` contents merged under `environment`, and bare environment
/// keys resolved from the variables.
struct Normalizer {
    let projectName: String
    let projectDirectory: String
    let variables: [String: String]
    let fileSystem: any StackFileSystem
    let environment: [String: String]

    func normalize(_ root: Node, warnings: inout [StackWarning]) throws(StackError) -> Node {
        var root = root
        let mark = root.mark
        root["name"] = .string(projectName, root["name"]?.mark ?? mark)
        if let version = root.entry("version") {
            warnings.append(
                StackWarning(
                    "the attribute `version` is obsolete and ignored; remove it to avoid confusion",
                    mark: version.keyMark, path: "version"))
            root["version"] = nil
        }

        var usesDefaultNetwork = false
        if var services = root["services"], let entries = services.entries {
            let resolver = PathResolver(directory: projectDirectory, home: environment["HOME"] ?? variables["HOME"])
            for entry in entries {
                var service = entry.value.isNull ? Node.mapping([], entry.keyMark) : entry.value
                let path = NodePath.root / "services" / entry.key
                if service["network_mode"] == nil {
                    if service["networks"] == nil || service["networks"]?.entries?.isEmpty == true {
                        service["networks"] = .mapping(
                            [Node.Entry(key: "default", keyMark: service.mark, value: .null(service.mark))], service.mark)
                    }
                    if service["networks"]?["default"] != nil || service["networks"]?.entry("default") != nil {
                        usesDefaultNetwork = true
                    }
                }
                service = resolver.resolveService(service)
                service = withDependencyDefaults(service)
                service = withSecretTargets(service)
                service = try withLabelFiles(service, resolver: resolver, path: path)
                if var build = service["build"] {
                    if build["context"] == nil { build["context"] = .string(projectDirectory, build.mark) }
                    if build["dockerfile"] == nil && build["dockerfile_inline"] == nil {
                        build["dockerfile"] = .string("Dockerfile", build.mark)
                    }
                    service["build"] = build
                }
                service = try resolveEnvironment(service, path: path, warnings: &warnings)
                services[entry.key] = service
            }
            root["services"] = services
        }

        var networks = root["networks"] ?? .mapping([], mark)
        if usesDefaultNetwork && networks["default"] == nil {
            networks["default"] = .mapping([], mark)
        }
        if networks.entries?.isEmpty == false { root["networks"] = named(networks) } else { root["networks"] = nil }
        for section in ["volumes", "secrets", "configs"] {
            if let resources = root[section], resources.entries?.isEmpty == false {
                root[section] = named(resolveFiles(resources, resolver: PathResolver(directory: projectDirectory, home: environment["HOME"] ?? variables["HOME"])))
            } else {
                root[section] = nil
            }
        }
        return root
    }

    /// Service secrets without a target are mounted at `/run/secrets/<source>`.
    private func withSecretTargets(_ service: Node) -> Node {
        guard let items = service["secrets"]?.items else { return service }
        var service = service
        service["secrets"] = .sequence(
            items.map { item in
                guard item["target"] == nil, let source = item["source"]?.scalarText else { return item }
                var item = item
                item["target"] = .string("/run/secrets/" + source, item.mark)
                return item
            }, service["secrets"]?.mark ?? service.mark)
        return service
    }

    /// `label_file` paths made absolute and their labels read in under `labels` (which win).
    private func withLabelFiles(_ service: Node, resolver: PathResolver, path: NodePath) throws(StackError) -> Node {
        guard let items = service["label_file"]?.items, !items.isEmpty else { return service }
        var service = service
        var labels: [Node.Entry] = []
        var resolved: [Node] = []
        for (index, item) in items.enumerated() {
            guard let text = item.scalarText else { continue }
            let file = resolver.resolve(text)
            resolved.append(.string(file, item.mark))
            guard fileSystem.exists(file) else {
                throw StackError(
                    .invalidStackFile, "label file \(file) not found", mark: item.mark,
                    path: (path / "label_file" / index).description)
            }
            let content = try EnvironmentFiles(fileSystem: fileSystem).decode(fileSystem.read(file), path: file)
            for (key, value) in try DotEnv.parseRaw(content, file: file, lookup: { _ in nil }) {
                labels.removeAll { $0.key == key }
                labels.append(Node.Entry(key: key, keyMark: item.mark, value: .string(value ?? "", item.mark)))
            }
        }
        for entry in service["labels"]?.entries ?? [] {
            labels.removeAll { $0.key == entry.key }
            labels.append(entry)
        }
        service["label_file"] = .sequence(resolved, service["label_file"]?.mark ?? service.mark)
        service["labels"] = .mapping(labels, service["labels"]?.mark ?? service.mark)
        return service
    }

    /// `depends_on` entries get `condition: service_started` and `required: true` unless set.
    private func withDependencyDefaults(_ service: Node) -> Node {
        guard var dependsOn = service["depends_on"], let entries = dependsOn.entries else { return service }
        for entry in entries {
            var value = entry.value.isNull ? Node.mapping([], entry.keyMark) : entry.value
            if value["condition"] == nil { value["condition"] = .string("service_started", entry.keyMark) }
            if value["required"] == nil { value["required"] = .bool(true, entry.keyMark) }
            dependsOn[entry.key] = value
        }
        var service = service
        service["depends_on"] = dependsOn
        return service
    }

    /// Gives every top-level resource its real name: `name:` if set, the key for external ones,
    /// else `<project>_<key>`.
    private func named(_ resources: Node) -> Node {
        guard let entries = resources.entries else { return resources }
        var result = resources
        for entry in entries {
            var value = entry.value.isNull ? Node.mapping([], entry.keyMark) : entry.value
            if value["name"] == nil {
                let external = value["external"]?.scalar == .bool(true)
                value["name"] = .string(external ? entry.key : "\(projectName)_\(entry.key)", entry.keyMark)
            }
            result[entry.key] = value
        }
        return result
    }

    /// Makes `file:` of secrets and configs absolute.
    private func resolveFiles(_ resources: Node, resolver: PathResolver) -> Node {
        guard let entries = resources.entries else { return resources }
        var result = resources
        for entry in entries {
            guard var value = entry.value.entries != nil ? entry.value : nil, let file = value["file"],
                let text = file.scalarText
            else { continue }
            value["file"] = .string(resolver.resolve(text), file.mark)
            result[entry.key] = value
        }
        return result
    }

    /// `env_file` values under `environment` (which wins), bare keys taken from the variables.
    private func resolveEnvironment(_ service: Node, path: NodePath, warnings: inout [StackWarning]) throws(StackError) -> Node {
        var service = service
        var entries: [Node.Entry] = []
        func set(_ key: String, _ value: Node, _ keyMark: SourceMark) {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = value
            } else {
                entries.append(Node.Entry(key: key, keyMark: keyMark, value: value))
            }
        }
        let files = EnvironmentFiles(fileSystem: fileSystem)
        for (index, item) in (service["env_file"]?.items ?? []).enumerated() {
            guard let file = item["path"]?.scalarText else { continue }
            let required = item["required"]?.scalar != .bool(false)
            guard fileSystem.exists(file) else {
                if required {
                    throw StackError(
                        .invalidStackFile, "env file \(file) not found", mark: item["path"]?.mark ?? item.mark,
                        path: (path / "env_file" / index).description)
                }
                continue
            }
            let text = try files.decode(fileSystem.read(file), path: file)
            let pairs: [(key: String, value: String?)]
            if item["format"]?.scalarText == "raw" {
                let known = variables
                pairs = try DotEnv.parseRaw(text, file: file) { known[$0] }
            } else {
                let known = variables
                pairs = try DotEnv.parse(text, file: file) { known[$0] }
            }
            for (key, value) in pairs {
                let resolved = value ?? variables[key]
                set(key, resolved.map { .string($0, item.mark) } ?? .null(item.mark), item.mark)
            }
        }
        for entry in service["environment"]?.entries ?? [] {
            if entry.value.isNull {
                if let value = variables[entry.key] {
                    set(entry.key, .string(value, entry.value.mark), entry.keyMark)
                } else if !entries.contains(where: { $0.key == entry.key }) {
                    set(entry.key, entry.value, entry.keyMark)
                }
            } else {
                set(entry.key, entry.value, entry.keyMark)
            }
        }
        if !entries.isEmpty || service["environment"] != nil {
            service["environment"] = .mapping(entries, service["environment"]?.mark ?? service.mark)
        }
        return service
    }
}
