import StackCore

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` … in stack-file values, as Compose does.
///
/// Supported forms (compose-go `template` semantics, see `TemplateSubstitution`):
/// `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
/// `${VAR:+replacement}` (set and not empty), `${VAR+replacement}` (set),
/// `${VAR:?error}` (fail when unset or empty), `${VAR?error}` (fail when unset),
/// nested templates in defaults/replacements/errors, and `$$` for a literal `$`.
public struct Interpolator: Sendable {
    /// The variables visible to templates (the project environment).
    public var variables: [String: String]

    public init(variables: [String: String]) {
        self.variables = variables
    }

    /// Substitutes one template string.
    ///
    /// - Returns: the result, and the names of unset variables used without a default, in order of
    ///   use (repeated when used repeatedly). Compose substitutes those with an empty string.
    public func substitute(_ template: String) throws(InterpolationError) -> (value: String, unset: [String]) {
        var unset: [String] = []
        let value = try TemplateSubstitution.substitute(template, lookup: { variables[$0] }, unset: &unset)
        return (value, unset)
    }

    /// Interpolates every string scalar value of the tree under `node`, which sits at `path`.
    ///
    /// Mapping keys and non-string scalars (numbers, booleans, null) are left alone; interpolated
    /// values become `.string` scalars keeping their mark, tag and `quoted` flag (type conversion is a
    /// later stage). Each unset variable used without a default adds one warning per value
    /// (`The "VAR" variable is not set. Defaulting to a blank string.`).
    ///
    /// - Throws: `StackError.invalidStackFile` at the value's mark, with Compose's message:
    ///   `invalid interpolation format for <path>.…` or `error while interpolating <path>: …`.
    ///   The message names the path, so the error's `path` field is left empty (no repetition when rendered).
    public func interpolate(_ node: Node, path: NodePath, warnings: inout [StackWarning]) throws(StackError) -> Node {
        try interpolated(node, path: path, warnings: &warnings) ?? node
    }

    /// The interpolated node, or nil when nothing under `node` changes (so unchanged subtrees are
    /// shared, not rebuilt).
    private func interpolated(_ node: Node, path: NodePath, warnings: inout [StackWarning]) throws(StackError) -> Node? {
        switch node.kind {
        case .scalar(.string(let text)):
            guard TemplateSubstitution.containsDollar(text) else { return nil }
            return try interpolate(scalar: node, text: text, path: path, warnings: &warnings)
        case .scalar:
            return nil
        case .sequence(let items):
            var copy: Node?
            for index in items.indices {
                guard let value = try interpolated(items[index], path: path / index, warnings: &warnings) else { continue }
                if copy == nil { copy = node }
                copy?.withItems { $0[index] = value }
            }
            return copy
        case .mapping(let entries):
            var copy: Node?
            for index in entries.indices {
                let entry = entries[index]
                guard let value = try interpolated(entry.value, path: path / entry.key, warnings: &warnings) else {
                    continue
                }
                if copy == nil { copy = node }
                copy?.withEntries { $0[index].value = value }
            }
            return copy
        }
    }

    private func interpolate(
        scalar node: Node, text: String, path: NodePath, warnings: inout [StackWarning]
    ) throws(StackError) -> Node {
        let result: (value: String, unset: [String])
        do {
            result = try substitute(text)
        } catch {
            throw Self.stackError(error, mark: node.mark, path: path)
        }
        var reported: Set<String> = []
        for name in result.unset where reported.insert(name).inserted {
            warnings.append(StackWarning(Self.unsetWarning(name), mark: node.mark, path: path.description))
        }
        var copy = node
        copy.kind = .scalar(.string(result.value))
        return copy
    }

    /// Compose's warning for an unset variable used without a default.
    public static func unsetWarning(_ name: String) -> String {
        "The \"\(name)\" variable is not set. Defaulting to a blank string."
    }

    /// Wraps a substitution error as Compose reports it for the value at `path`.
    static func stackError(_ error: InterpolationError, mark: SourceMark, path: NodePath) -> StackError {
        let message: String
        switch error {
        case .invalidTemplate(let template):
            message = "invalid interpolation format for \(path).\nYou may need to escape any $ with another $.\n\(template)"
        case .missingRequired, .nestingTooDeep:
            message = "error while interpolating \(path): \(error)"
        }
        return StackError(.invalidStackFile, message, mark: mark)
    }
}
