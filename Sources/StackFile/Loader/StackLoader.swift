import StackCore
import StackModel

/// Loads a stack the way Compose does: finds the files, assembles the variables, names the
/// project, and runs each file through parse → interpolate → validate → canonicalize before
/// merging, then applies `include`, `extends`, profiles, normalization and consistency checks,
/// and decodes the typed model.
public struct StackLoader: Sendable {
    public let fileSystem: any StackFileSystem

    public init(fileSystem: any StackFileSystem = LocalFileSystem()) {
        self.fileSystem = fileSystem
    }

    /// Loads the stack and decodes its typed model.
    public func load(_ options: LoadOptions) throws(StackError) -> LoadedStack {
        let resolved = try resolve(options)
        return LoadedStack(project: try resolved.decodeProject(), resolved: resolved)
    }

    /// Loads the stack up to its canonical, validated tree (everything but decoding the model).
    public func resolve(_ options: LoadOptions) throws(StackError) -> ResolvedStack {
        var warnings: [StackWarning] = []
        let cwd = PathName.clean(options.workingDirectory)
        let envFiles = EnvironmentFiles(fileSystem: fileSystem)

        // COMPOSE_* settings may come from the shell or from the .env of the starting directory.
        let startDirectory = options.projectDirectory.map { PathName.absolute($0, base: cwd) } ?? cwd
        var settings = options.environment
        if options.envFiles.isEmpty, options.environment["COMPOSE_DISABLE_ENV_FILE"].map(isTrue) != true {
            let dotEnv = PathName.absolute(".env", base: startDirectory)
            if fileSystem.exists(dotEnv), !fileSystem.isDirectory(dotEnv) {
                let early = try envFiles.read([dotEnv], shell: options.environment)
                settings = early.merging(options.environment) { _, shell in shell }
            }
        } else if !options.envFiles.isEmpty {
            let paths = options.envFiles.map { PathName.absolute($0, base: cwd) }
            settings = try envFiles.read(paths, shell: options.environment).merging(options.environment) { _, s in s }
        }

        let files = try selectFiles(options, settings: settings, cwd: cwd, warnings: &warnings)
        let projectDirectory = options.projectDirectory.map { PathName.absolute($0, base: cwd) }
            ?? PathName.directory(files[0])

        // Interpolation variables: .env (or --env-file) overridden by the shell.
        var variables = options.environment
        if options.environment["COMPOSE_DISABLE_ENV_FILE"].map(isTrue) != true {
            let paths: [String]
            if options.envFiles.isEmpty {
                let dotEnv = PathName.absolute(".env", base: projectDirectory)
                paths = fileSystem.exists(dotEnv) && !fileSystem.isDirectory(dotEnv) ? [dotEnv] : []
            } else {
                paths = options.envFiles.map { PathName.absolute($0, base: cwd) }
            }
            variables = try envFiles.read(paths, shell: options.environment).merging(options.environment) { _, s in s }
        }

        // Parse every document of every file.
        var documents: [(file: String, node: Node)] = []
        for file in files {
            for document in try parseFile(file) { documents.append((file, document)) }
        }

        let name = try projectName(options, variables: variables, documents: documents, directory: projectDirectory)
        variables["COMPOSE_PROJECT_NAME"] = name

        // Each document: interpolate, validate, canonicalize; then merge in order.
        let pipeline = FilePipeline(
            interpolate: options.interpolate, variables: variables, fileSystem: fileSystem)
        var merged = Node.mapping([], .synthetic(files[0]))
        let merger = Merger()
        let includes = IncludeResolver(pipeline: pipeline, loader: self, options: options, variables: variables)
        for (file, document) in documents {
            var canonical: Node
            do {
                canonical = try pipeline.process(document, file: file, warnings: &warnings)
            } catch where !options.interpolate && error.message.contains("$") {
                var error = error
                error.message += " (with --no-interpolate, values that hold variables cannot be normalized)"
                throw error
            }
            // A file's includes conflict with that file only; later files may override them.
            canonical = try includes.apply(to: canonical, warnings: &warnings)
            merged = merger.merge(merged, canonical)
        }
        merged = try ExtendsResolver(pipeline: pipeline).apply(to: merged, projectDirectory: projectDirectory, warnings: &warnings)
        merged = merged.withoutMergeTags()
        // Schema validation runs on another core alongside the stages after it; its error, if
        // any, wins over theirs, and its warnings come first, as if it had run before them.
        let validation = BackgroundValidation(merged)
        var laterWarnings: [StackWarning] = []
        var profiles = ProfileSelector(
            active: options.profiles.isEmpty ? splitList(variables["COMPOSE_PROFILES"] ?? "") : options.profiles,
            requested: options.services)
        let later: Result<Node, StackError>
        do throws(StackError) {
            merged = try profiles.apply(to: merged)
            merged = try Normalizer(
                projectName: name, projectDirectory: projectDirectory, variables: variables, fileSystem: fileSystem,
                environment: options.environment
            ).normalize(merged, warnings: &laterWarnings)
            if options.checkConsistency {
                try ConsistencyChecker().check(merged, warnings: &laterWarnings)
            }
            later = .success(merged)
        } catch {
            later = .failure(error)
        }
        warnings += try validation.finish().get()
        merged = try later.get()
        warnings += laterWarnings

        return ResolvedStack(
            name: name, workingDirectory: projectDirectory, canonical: merged, warnings: warnings, files: files,
            variables: variables, activeProfiles: profiles.active, allProfiles: profiles.allProfiles)
    }

    /// Reads and parses one file into its documents; each must be a mapping.
    func parseFile(_ file: String) throws(StackError) -> [Node] {
        var bytes = try fileSystem.read(file)
        let documents = try YAMLParser().parse(bytes: &bytes, file: file)
        var result: [Node] = []
        for document in documents {
            if document.isNull { continue }
            guard document.isMapping else {
                throw StackError(
                    .invalidStackFile, "top-level object must be a mapping, not \(document.kindName.withArticle)",
                    mark: document.mark)
            }
            result.append(document)
        }
        if result.isEmpty {
            throw StackError(.invalidStackFile, "empty stack file: it defines nothing", mark: .synthetic(file))
        }
        return result
    }

    private func selectFiles(
        _ options: LoadOptions, settings: [String: String], cwd: String, warnings: inout [StackWarning]
    ) throws(StackError) -> [String] {
        if !options.files.isEmpty {
            let files = options.files.map { PathName.absolute($0, base: cwd) }
            for file in files where !fileSystem.exists(file) || fileSystem.isDirectory(file) {
                throw StackError(.invalidArgument, "stack file \(file) not found (given with -f)")
            }
            return files
        }
        if let list = settings["COMPOSE_FILE"], !list.isEmpty {
            let separator = settings["COMPOSE_PATH_SEPARATOR"].flatMap(\.first) ?? ":"
            let base = options.projectDirectory.map { PathName.absolute($0, base: cwd) } ?? cwd
            return list.split(separator: separator).map { PathName.absolute(String($0), base: base) }
        }
        let start = options.projectDirectory.map { PathName.absolute($0, base: cwd) } ?? cwd
        return try FileDiscovery(fileSystem: fileSystem).discover(from: start, warnings: &warnings)
    }

    /// `-p` > `COMPOSE_PROJECT_NAME` > the last `name:` in the files > the project directory's name.
    private func projectName(
        _ options: LoadOptions, variables: [String: String], documents: [(file: String, node: Node)], directory: String
    ) throws(StackError) -> String {
        if let explicit = options.projectName {
            return try ProjectName.validate(explicit, source: "-p")
        }
        if let fromEnvironment = variables["COMPOSE_PROJECT_NAME"], !fromEnvironment.isEmpty {
            return try ProjectName.validate(fromEnvironment, source: "COMPOSE_PROJECT_NAME")
        }
        var fromFile: (String, SourceMark)?
        let interpolator = Interpolator(variables: variables)
        for (_, document) in documents {
            guard let node = document["name"] else { continue }
            var ignored: [StackWarning] = []
            let value = options.interpolate
                ? try interpolator.interpolate(node, path: NodePath.root / "name", warnings: &ignored) : node
            guard let text = value.scalarText else {
                throw StackError(.invalidStackFile, "name must be a string", mark: node.mark, path: "name")
            }
            fromFile = (text, node.mark)
        }
        if let (text, mark) = fromFile {
            return try ProjectName.validate(text, source: "the name: field", mark: mark)
        }
        let derived = ProjectName.normalize(PathName.base(directory))
        guard !derived.isEmpty else {
            throw StackError(
                .invalidStackFile,
                "project name must not be empty: the directory name \"\(PathName.base(directory))\" gives none; use -p or name:")
        }
        return derived
    }
}

extension String {
    /// "an integer", "a string".
    var withArticle: String { (first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + self }
}

func isTrue(_ text: String) -> Bool {
    ["1", "true", "yes", "on"].contains(text.lowercased())
}

func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
}
