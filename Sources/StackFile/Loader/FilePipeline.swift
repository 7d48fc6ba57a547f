import StackCore

/// The per-document stages, run before documents and files are merged: interpolate,
/// canonicalize, and make `include` and `extends.file` paths absolute against the declaring
/// file's directory. (The schema checks the merged stack, as Compose does, so an override file
/// may leave out what the base file provides.)
struct FilePipeline: Sendable {
    let interpolate: Bool
    let variables: [String: String]
    let fileSystem: any StackFileSystem

    func process(_ document: Node, file: String, warnings: inout [StackWarning]) throws(StackError) -> Node {
        var node = document
        if interpolate {
            node = try Interpolator(variables: variables).interpolate(node, path: .root, warnings: &warnings)
        }
        node = try Canonicalizer().canonicalize(node, warnings: &warnings)
        return anchorPaths(node, directory: PathName.directory(file))
    }

    /// Reads, parses and processes every document of `file`, merged in order.
    func processFile(_ file: String, warnings: inout [StackWarning]) throws(StackError) -> Node {
        let documents = try StackLoader(fileSystem: fileSystem).parseFile(file)
        var merged = Node.mapping([], .synthetic(file))
        for document in documents {
            merged = Merger().merge(merged, try process(document, file: file, warnings: &warnings))
        }
        return merged
    }

    /// Makes file-relative references absolute: `include` entries and `extends.file`.
    private func anchorPaths(_ root: Node, directory: String) -> Node {
        var root = root
        if let includes = root["include"]?.items {
            var resolved: [Node] = []
            for entry in includes {
                resolved.append(IncludeResolver.canonicalEntry(entry, directory: directory))
            }
            root["include"] = .sequence(resolved, root["include"]?.mark ?? .synthetic(directory))
        }
        if var services = root["services"], let entries = services.entries {
            for entry in entries {
                guard var extends = entry.value["extends"], let file = extends["file"], let path = file.scalarText else {
                    continue
                }
                extends["file"] = .string(PathName.absolute(path, base: directory), file.mark)
                var service = entry.value
                service["extends"] = extends
                services[entry.key] = service
            }
            root["services"] = services
        }
        return root
    }
}
