import StackCore

/// Path arithmetic for cgroup directories (plain strings, `/`-separated).
public enum CgroupPath {
    /// `base` and `relative` joined with one `/`, with `.` and empty components removed.
    public static func join(_ base: String, _ relative: String) -> String {
        var result = ""
        result.reserveCapacity(base.utf8.count + relative.utf8.count + 1)
        appendComponents(of: base, to: &result)
        appendComponents(of: relative, to: &result)
        return result.isEmpty ? "/" : result
    }

    /// Appends `/component` for each non-empty component of `path` other than `.`; works on
    /// bytes (paths are joined dozens of times per container).
    private static func appendComponents(of path: String, to result: inout String) {
        for component in path.utf8.split(separator: UInt8(ascii: "/")) {
            if component.count == 1 && component.first == UInt8(ascii: ".") { continue }
            result += "/"
            result += Substring(component)
        }
    }

    /// The directory holding `path` (`/` for top-level paths).
    public static func parent(_ path: String) -> String {
        var components = path.split(separator: "/")
        if !components.isEmpty { components.removeLast() }
        return "/" + components.joined(separator: "/")
    }

    /// Whether `path` lies strictly inside `directory`.
    public static func isBelow(_ path: String, _ directory: String) -> Bool {
        if directory == "/" { return path.count > 1 && path.hasPrefix("/") }
        return path.hasPrefix(directory + "/")
    }

    /// `path` relative to `base` (which must contain it, or be it), with a leading `/`:
    /// `relative("/a/b/c", to: "/a")` is `/b/c`.
    public static func relative(_ path: String, to base: String) -> String? {
        let pathComponents = path.utf8.split(separator: UInt8(ascii: "/"))
        let baseComponents = base.utf8.split(separator: UInt8(ascii: "/"))
        guard pathComponents.count >= baseComponents.count else { return nil }
        for (component, baseComponent) in zip(pathComponents, baseComponents)
        where !component.elementsEqual(baseComponent) {
            return nil
        }
        var result = ""
        for component in pathComponents.dropFirst(baseComponents.count) {
            result += "/"
            result += Substring(component)
        }
        return result.isEmpty ? "/" : result
    }

    /// Checks a container's cgroup path: no `..` components, not empty.
    static func validate(_ path: String) throws(StackError) {
        let components = path.split(separator: "/")
        if components.contains("..") {
            throw StackError(.invalidArgument, "cgroup path \(path) must not contain '..'")
        }
        if components.filter({ $0 != "." }).isEmpty {
            throw StackError(.invalidArgument, "cgroup path '\(path)' names no cgroup")
        }
    }
}
