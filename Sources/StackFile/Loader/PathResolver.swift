import StackCore

/// Makes the relative host paths of a service absolute against a directory: build contexts,
/// env files, bind-mount sources (with `~` expanded), and watch paths.
struct PathResolver: Sendable {
    let directory: String
    let home: String?

    func resolveService(_ service: Node) -> Node {
        var service = service
        if var build = service["build"], let context = build["context"], let text = context.scalarText,
            !isRemoteContext(text)
        {
            build["context"] = .string(resolve(text), context.mark)
            if var extra = build["additional_contexts"], let entries = extra.entries {
                for entry in entries {
                    if let value = entry.value.scalarText, !isRemoteContext(value), !value.contains(ascii: ":") || value.hasPrefix("/") {
                        extra[entry.key] = .string(resolve(value), entry.value.mark)
                    }
                }
                build["additional_contexts"] = extra
            }
            service["build"] = build
        }
        if let files = service["env_file"]?.items {
            service["env_file"] = .sequence(
                files.map { item in
                    var item = item
                    if let path = item["path"], let text = path.scalarText { item["path"] = .string(resolve(text), path.mark) }
                    return item
                }, service["env_file"]?.mark ?? .synthetic(directory))
        }
        if let volumes = service["volumes"]?.items {
            service["volumes"] = .sequence(
                volumes.map { volume in
                    var volume = volume
                    if volume["type"]?.string == "bind", let source = volume["source"], let text = source.scalarText {
                        volume["source"] = .string(resolve(text), source.mark)
                    }
                    return volume
                }, service["volumes"]?.mark ?? .synthetic(directory))
        }
        if var develop = service["develop"], let watch = develop["watch"]?.items {
            develop["watch"] = .sequence(
                watch.map { rule in
                    var rule = rule
                    if let path = rule["path"], let text = path.scalarText { rule["path"] = .string(resolve(text), path.mark) }
                    return rule
                }, develop["watch"]?.mark ?? .synthetic(directory))
            service["develop"] = develop
        }
        return service
    }

    /// `path` with `~` expanded and made absolute against the directory.
    func resolve(_ path: String) -> String {
        if path == "~" || path.hasPrefix("~/"), let home {
            return PathName.clean(home + path.dropFirst())
        }
        return PathName.absolute(path, base: directory)
    }

    private func isRemoteContext(_ text: String) -> Bool {
        text.contains("://") || text.hasPrefix("git@") || text.hasPrefix("github.com/")
    }
}
