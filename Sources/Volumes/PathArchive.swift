import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// `stack container cp`'s two directions (Docker's `GET`/`PUT /containers/{id}/archive`), confined to
/// a container's root: paths are resolved as if `root` were `/`, and no symlink, `..` or archive
/// entry can reach outside it.
public enum PathArchive {
    /// How many symlinks one resolution may follow (Linux's own limit is 40; Docker allows 255).
    static let maximumLinks = 255

    /// Resolve `path` inside `root` safely (symlinks can't escape).
    ///
    /// Every component is resolved, the last one too: an absolute symlink target restarts at `root`,
    /// `..` stops at `root`. Components that do not exist are kept as written. Returns `root` joined
    /// with the resolved path (no trailing `/`).
    public static func resolve(root: String, path: String) throws(StackError) -> String {
        let components = try resolvedComponents(root: root, path: path, followLast: true)
        return join(root, components)
    }

    /// The resolved components of `path` below `root` (see `resolve`); the last one is kept as is
    /// (not followed) unless `followLast`.
    static func resolvedComponents(root: String, path: String, followLast: Bool) throws(StackError) -> [String] {
        var resolved: [String] = []
        var pending = split(path)
        pending.reverse()  // a stack: the next component is last
        var links = 0
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = join(root, resolved + [component])
            var info = stat()
            guard lstat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
                followLast || !pending.isEmpty
            else {
                resolved.append(component)
                continue
            }
            links += 1
            if links > maximumLinks {
                throw StackError(.invalidArgument, "\(path): too many levels of symbolic links")
            }
            let target = try readLink(candidate)
            if target.hasPrefix("/") { resolved = [] }
            pending.append(contentsOf: split(target).reversed())
        }
        return resolved
    }

    /// `root/a/b`, or `root` for no components.
    static func join(_ root: String, _ components: [String]) -> String {
        let base = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        return components.isEmpty ? base : (base == "/" ? "" : base) + "/" + components.joined(separator: "/")
    }

    static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func readLink(_ path: String) throws(StackError) -> String {
        try FS.readLink(at: AT_FDCWD, path, what: path)
    }

    /// Opens the directory `root/components…` one component at a time with `O_NOFOLLOW` (a symlink
    /// anywhere fails: resolved paths have none). With `create`, missing directories are made (0755).
    static func openDirectory(root: Int32, _ components: [String], create: Bool, what: String) throws(StackError)
        -> Int32
    {
        var current = dup(root)
        if current < 0 { throw StackError(.system, "dup", cause: Errno.current) }
        var walked = ""
        for component in components {
            walked += "/" + component
            var next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && Errno.current == .ENOENT && create {
                if mkdirat(current, component, 0o755) != 0 && Errno.current != .EEXIST {
                    let error = Errno.current
                    close(current)
                    throw StackError(.system, "\(what): mkdir \(walked)", cause: error)
                }
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let error = Errno.current
                let isLink = (try? FS.status(at: current, component, what: walked)).map {
                    $0.st_mode & S_IFMT == S_IFLNK
                } ?? false
                close(current)
                if isLink || error == .ELOOP {
                    throw StackError(.invalidArgument, "\(what): \(walked) is a symbolic link")
                }
                if error == .ENOENT { throw StackError(.notFound, "\(what): \(walked) does not exist") }
                if error == .ENOTDIR { throw StackError(.invalidArgument, "\(what): \(walked) is not a directory") }
                throw StackError(.system, "\(what): open \(walked)", cause: error)
            }
            close(current)
            current = next
        }
        return current
    }
}
