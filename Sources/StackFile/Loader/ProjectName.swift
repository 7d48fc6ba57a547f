import StackCore

/// Project naming as Compose does it: explicit names must already be valid; names derived from a
/// directory are normalized.
public enum ProjectName {
    /// True when `name` is a valid project name: lowercase letters, digits, `_` and `-`,
    /// starting with a letter or digit.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLowerAlnum(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "_" || $0 == "-" }
    }

    /// Lowercases, drops characters outside `[a-z0-9_-]`, and trims leading `_` and `-`.
    public static func normalize(_ name: String) -> String {
        let kept = name.lowercased().unicodeScalars.filter { isLowerAlnum($0) || $0 == "_" || $0 == "-" }
        var text = String(String.UnicodeScalarView(kept))
        while let first = text.first, first == "_" || first == "-" { text.removeFirst() }
        return text
    }

    /// Checks an explicitly given name (`-p`, `COMPOSE_PROJECT_NAME`, `name:`).
    public static func validate(_ name: String, source: String, mark: SourceMark? = nil) throws(StackError) -> String {
        guard !name.isEmpty else {
            throw StackError(.invalidStackFile, "project name must not be empty (from \(source))", mark: mark)
        }
        guard isValid(name) else {
            throw StackError(
                .invalidStackFile,
                "invalid project name \"\(name)\" (from \(source)): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit",
                mark: mark)
        }
        return name
    }

    private static func isLowerAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c)
    }
}
