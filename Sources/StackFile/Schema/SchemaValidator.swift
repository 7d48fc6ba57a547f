import StackCore

/// Validates a stack file's node tree against a JSON Schema (the draft-07 subset `stack` uses).
///
/// Validation runs on the interpolated tree of one file, so a string stands for a number or a
/// boolean where the schema expects one and it parses as one (`"3"`, `"true"`). Keys whose schema
/// carries `"x-stack-unsupported": true` are accepted with a warning. Nodes tagged `!reset` are
/// skipped: they remove a value rather than set one.
///
/// ```swift
/// var warnings: [StackWarning] = []
/// try SchemaValidator.stackFile.validate(root, warnings: &warnings)
/// ```
public struct SchemaValidator: Sendable {
    private let compiled: Result<SchemaDocument, StackError>

    /// The validator for stack files, built from the schema compiled into the binary
    /// (`schemas/stack.schema.json`). Should that schema fail to compile (a bug), every
    /// `validate` call throws an `.internalError` instead of the program crashing.
    public static let stackFile = SchemaValidator(embedded: EmbeddedSchema.text)

    /// Compiles the embedded stack-file schema now (it is otherwise compiled on first use), so a
    /// caller can do it on another thread while it reads files.
    public static func prepareStackFile() {
        _ = stackFile.compiled
    }

    /// Compiles a schema from JSON text; throws `.internalError` when it is malformed or uses
    /// keywords this validator does not implement.
    public init(schemaJSON: String) throws(StackError) {
        compiled = .success(try SchemaDocument.compile(schemaJSON))
    }

    private init(embedded text: String) {
        do {
            compiled = .success(try SchemaDocument.compile(text))
        } catch {
            compiled = .failure(StackError(.internalError, "the embedded stack file schema is invalid", cause: error))
        }
    }

    /// Checks `root` (one file's top-level node). Throws `.invalidStackFile` for the first problem
    /// found, naming the node (`services.web.image must be a string`) with its position; appends a
    /// warning for each unsupported key present.
    public func validate(_ root: Node, warnings: inout [StackWarning]) throws(StackError) {
        let document: SchemaDocument
        switch compiled {
        case .success(let value): document = value
        case .failure(let error): throw error
        }
        if Self.hasNonStringKey(root), let failure = Self.firstNonStringKey(root, .root) { throw failure.error }
        if !root.isMapping {
            throw SchemaFailure(message: "top-level object must be a mapping", mark: root.mark, path: .root).error
        }
        var evaluator = SchemaEvaluator(document: document)
        if let failure = evaluator.check(root, document.root) { throw failure.error }
        warnings.append(contentsOf: evaluator.warnings)
    }

    /// True when some mapping in the tree has a key YAML resolved to a non-string (`123:`).
    private static func hasNonStringKey(_ node: Node) -> Bool {
        // Index loops: iterating copies each element (retaining its strings and children).
        switch node.kind {
        case .scalar: return false
        case .sequence(let items):
            for index in items.indices where hasNonStringKey(items[index]) { return true }
            return false
        case .mapping(let entries):
            for index in entries.indices {
                if !entries[index].keyIsString { return true }
                if case .scalar = entries[index].value.kind { continue }
                if hasNonStringKey(entries[index].value) { return true }
            }
            return false
        }
    }

    /// The first non-string key, with its path (the slow path of `hasNonStringKey`).
    private static func firstNonStringKey(_ node: Node, _ path: NodePath) -> SchemaFailure? {
        switch node.kind {
        case .scalar:
            return nil
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                if let failure = firstNonStringKey(item, path / index) { return failure }
            }
            return nil
        case .mapping(let entries):
            for entry in entries where !entry.keyIsString {
                let place = path.components.isEmpty ? "at top level" : "in \(path)"
                return SchemaFailure(message: "non-string key \(place): \(entry.key)", mark: entry.keyMark, path: path)
            }
            for entry in entries {
                if let failure = firstNonStringKey(entry.value, path / entry.key) { return failure }
            }
            return nil
        }
    }
}
