import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Directory-relative file calls that never follow a symlink in the last component, with errors
/// that name the call and path. Directories are held open as descriptors so a path is looked up
/// one component at a time (`O_NOFOLLOW`): a symlink swapped in cannot redirect a walk.
enum FS {
    /// `open` of a directory (no final symlink followed); `what` names it in errors.
    static func openDirectory(_ path: String, what: String? = nil) throws(StackError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw StackError(.system, "open \(what ?? path)", cause: Errno.current) }
        return fd
    }

    /// `open` of a root directory the caller chose (a container's rootfs): it may itself be reached
    /// through symlinks; nothing below it is.
    static func openRoot(_ path: String) throws(StackError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw StackError(.system, "open root \(path)", cause: Errno.current) }
        return fd
    }

    /// `openat` of the directory `name` in `directory`, refusing a symlink.
    static func openDirectory(at directory: Int32, _ name: String, what: String) throws(StackError) -> Int32 {
        let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw StackError(.system, "open \(what)", cause: Errno.current) }
        return fd
    }

    /// `fstatat(…, AT_SYMLINK_NOFOLLOW)`; nil when absent (ENOENT), throws otherwise.
    static func status(at directory: Int32, _ name: String, what: String) throws(StackError) -> stat? {
        var info = stat()
        if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info }
        let error = Errno.current
        if error == .ENOENT { return nil }
        throw StackError(.system, "lstat \(what)", cause: error)
    }

    /// `fstat` of an open descriptor.
    static func status(_ fd: Int32, what: String) throws(StackError) -> stat {
        var info = stat()
        if fstat(fd, &info) != 0 { throw StackError(.system, "stat \(what)", cause: Errno.current) }
        return info
    }

    /// The names in the open directory `fd` (without `.` and `..`), sorted. `fd` stays open.
    static func names(in fd: Int32, what: String) throws(StackError) -> [String] {
        let copy = dup(fd)
        if copy < 0 { throw StackError(.system, "dup \(what)", cause: Errno.current) }
        guard let stream = fdopendir(copy) else {
            let error = Errno.current
            close(copy)
            throw StackError(.system, "opendir \(what)", cause: error)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            result.append(name)
        }
        return result.sorted()
    }

    /// The target of the symlink `name` in `directory`.
    static func readLink(at directory: Int32, _ name: String, what: String) throws(StackError) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        while true {
            let count = buffer.count
            let n = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
                guard let base = pointer.baseAddress else { return -1 }
                return readlinkat(directory, name, base, count)
            }
            if n < 0 { throw StackError(.system, "readlink \(what)", cause: Errno.current) }
            if n < count {
                return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            buffer = [CChar](repeating: 0, count: count * 2)
        }
    }

    /// The path the kernel resolves for `name` in the open `directory` without a lookup by the
    /// caller's paths: `/proc/self/fd/N/name` (used for the `l*xattr` calls).
    static func procPath(_ directory: Int32, _ name: String) -> String {
        "/proc/self/fd/\(directory)/\(name)"
    }

    /// Applies owner, xattrs, permissions and times to `name` in `directory`, in that order: `chown`
    /// clears setuid bits and file capabilities, so it comes first; times come last. Symlinks get
    /// owner, xattrs and times only (their permission bits mean nothing on Linux).
    /// An unprivileged caller keeps its own ownership (EPERM from chown is ignored).
    static func apply(
        _ metadata: FileMetadata, at directory: Int32, _ name: String, isSymlink: Bool, what: String
    ) throws(StackError) {
        if fchownat(directory, name, metadata.uid, metadata.gid, AT_SYMLINK_NOFOLLOW) != 0 {
            let error = Errno.current
            if !(error == .EPERM && geteuid() != 0) { throw StackError(.system, "lchown \(what)", cause: error) }
        }
        if !metadata.xattrs.isEmpty { try Xattrs.write(procPath(directory, name), metadata.xattrs) }
        if !isSymlink && fchmodat(directory, name, mode_t(metadata.permissions), 0) != 0 {
            throw StackError(.system, "chmod \(what)", cause: Errno.current)
        }
        var times = [metadata.accessTime, metadata.modificationTime]
        if utimensat(directory, name, &times, AT_SYMLINK_NOFOLLOW) != 0 {
            throw StackError(.system, "utimensat \(what)", cause: Errno.current)
        }
    }

    /// Copies the rest of `source` into `destination` (both open descriptors).
    static func copyContent(from source: Int32, to destination: Int32, what: String) throws(StackError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if n < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                throw StackError(.system, "read \(what)", cause: error)
            }
            if n == 0 { return }
            try writeAll(destination, chunk[0..<n], what: what)
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, what: String) throws(StackError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                throw StackError(.system, "write \(what)", cause: error)
            }
            offset += n
        }
    }

    /// Removes `name` in `directory` and, for a directory, everything under it, never following symlinks.
    static func removeTree(at directory: Int32, _ name: String, what: String) throws(StackError) {
        guard let info = try status(at: directory, name, what: what) else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let child = try openDirectory(at: directory, name, what: what)
            defer { close(child) }
            for entry in try names(in: child, what: what) {
                try removeTree(at: child, entry, what: what + "/" + entry)
            }
            if unlinkat(directory, name, AT_REMOVEDIR) != 0 {
                throw StackError(.system, "rmdir \(what)", cause: Errno.current)
            }
        } else if unlinkat(directory, name, 0) != 0 {
            throw StackError(.system, "unlink \(what)", cause: Errno.current)
        }
    }
}
