import StackCore

/// Path arithmetic for cgroup directories (plain strings, `/`-separated).
public enum CgroupPath {
    /// `base` and `relative` joined with one `/`, with `.` and empty components removed.
    public static func join(_ base: String, _ relative: String) -> String {
        let components = (base.split(separator: "/") + relative.split(separator: "/")).filter { $0 != "." }
        return "/" + components.joined(separator: "/")
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
        let pathComponents = path.split(separator: "/")
        let baseComponents = base.split(separator: "/")
        guard pathComponents.starts(with: baseComponents) else { return nil }
        return "/" + pathComponents.dropFirst(baseComponents.count).joined(separator: "/")
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
