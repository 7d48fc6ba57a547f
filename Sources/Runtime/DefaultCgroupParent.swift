import Cgroups
import Glibc
import StackCore

/// Containers without a `cgroupsPath` live under `/stack-runtime/<id>`. The shared parent is
/// created on demand and removed again when its last container goes, so nothing is left
/// behind; `rmdir` of a cgroup that still has children fails with EBUSY, which is what keeps a
/// sibling's parent in place.
enum DefaultCgroupParent {
    static let name = "stack-runtime"

    /// The cgroup path for a container that names none.
    static func path(for id: String) -> String { "/\(name)/\(id)" }

    /// Removes the shared parent directories of `paths` (the container's cgroup directories)
    /// when they are empty; errors are expected and ignored (a sibling is still there).
    static func removeIfUnused(containerPaths paths: [String: String], cgroupPath: String) {
        guard cgroupPath.hasPrefix("/\(name)/") else { return }
        for directory in Set(paths.values) {
            guard let slash = directory.lastIndex(of: "/") else { continue }
            let parent = String(directory[..<slash])
            guard parent.hasSuffix("/\(name)") else { continue }
            _ = rmdir(parent)
        }
    }

    /// Creates the container's cgroup, retrying when a concurrent delete removed the shared
    /// parent between its creation and the container's.
    static func create(_ manager: any CgroupManager) throws(StackError) {
        var attempts = 0
        while true {
            do {
                try manager.create()
                return
            } catch {
                attempts += 1
                guard attempts < 5, error.description.contains("ENOENT") else { throw error }
            }
        }
    }
}
