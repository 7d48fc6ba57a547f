import StackCore

/// Resolves `extends`: a service starts from another service (in the same stack or in another
/// file) and its own fields are merged on top with the multi-file merge rules. Relative paths of
/// a service taken from another file are resolved against that file's directory.
struct ExtendsResolver {
    let pipeline: FilePipeline

    /// Files already processed, by absolute path.
    private final class Cache {
        var files: [String: Node] = [:]
    }

    private let cache = Cache()

    init(pipeline: FilePipeline) { self.pipeline = pipeline }

    func apply(to root: Node, projectDirectory: String, warnings: inout [StackWarning]) throws(StackError) -> Node {
        guard var services = root["services"], let entries = services.entries,
            entries.contains(where: { $0.value["extends"] != nil })
        else { return root }
        var root = root
        for entry in entries where entry.value["extends"] != nil {
            let resolved = try resolve(
                name: entry.key, service: entry.value, in: root, file: nil, chain: [], warnings: &warnings)
            services[entry.key] = resolved
        }
        root["services"] = services
        return root
    }

    /// The service with its `extends` chain applied. `file` is nil for the main stack.
    private func resolve(
        name: String, service: Node, in context: Node, file: String?, chain: [String], warnings: inout [StackWarning]
    ) throws(StackError) -> Node {
        guard let extends = service["extends"] else { return service }
        let path = NodePath.root / "services" / name / "extends"
        let link = "\(file ?? "")#\(name)"
        if chain.contains(link) {
            throw StackError(
                .invalidStackFile,
                "circular reference with extends: \((chain + [link]).map { $0.split(separator: "#").last.map(String.init) ?? $0 }.joined(separator: " -> "))",
                mark: extends.mark, path: path.description)
        }
        guard let baseName = extends["service"]?.scalarText, !baseName.isEmpty else {
            throw StackError(
                .invalidStackFile, "extends.\(name).service is required", mark: extends.mark, path: path.description)
        }
        var baseContext = context
        var baseFile = file
        if let other = extends["file"]?.scalarText {
            baseFile = other
            if let cached = cache.files[other] {
                baseContext = cached
            } else {
                guard pipeline.fileSystem.exists(other) else {
                    throw StackError(
                        .invalidStackFile, "extends file \(other) not found", mark: extends["file"]?.mark,
                        path: (path / "file").description)
                }
                baseContext = try pipeline.processFile(other, warnings: &warnings)
                cache.files[other] = baseContext
            }
        }
        guard let baseEntry = baseContext["services"]?.entry(baseName) else {
            let whereText = extends["file"]?.scalarText.map { " in \($0)" } ?? ""
            throw StackError(
                .invalidStackFile, "cannot extend service \"\(baseName)\"\(whereText): no such service",
                mark: extends["service"]?.mark ?? extends.mark, path: (path / "service").description)
        }
        var base = baseEntry.value.isNull ? Node.mapping([], baseEntry.value.mark) : baseEntry.value
        base = try resolve(
            name: baseName, service: base, in: baseContext, file: baseFile, chain: chain + [link], warnings: &warnings)
        if let baseFile, baseFile != file {
            base = PathResolver(directory: PathName.directory(baseFile), home: pipeline.variables["HOME"])
                .resolveService(base)
        }
        base["extends"] = nil
        var own = service
        own["extends"] = nil
        return Merger().merge(base, own, path: NodePath.root / "services" / name)
    }
}
