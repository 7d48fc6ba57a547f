/// Pure path-string helpers (no file system access).
public enum PathName {
    public static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// `path` made absolute against `base` and cleaned.
    public static func absolute(_ path: String, base: String) -> String {
        isAbsolute(path) ? clean(path) : clean(base + "/" + path)
    }

    /// Removes `.`, `..` and duplicate slashes, as Go's `filepath.Clean` does.
    public static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part of `path`.
    public static func directory(_ path: String) -> String {
        let cleaned = clean(path)
        guard let slash = cleaned.lastIndex(of: "/") else { return "." }
        if slash == cleaned.startIndex { return "/" }
        return String(cleaned[..<slash])
    }

    /// The last component of `path`.
    public static func base(_ path: String) -> String {
        let cleaned = clean(path)
        guard let slash = cleaned.lastIndex(of: "/") else { return cleaned }
        let name = cleaned[cleaned.index(after: slash)...]
        return name.isEmpty ? "/" : String(name)
    }
}
