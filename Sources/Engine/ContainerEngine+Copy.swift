import ContainerConfig
import LinuxOS
import StackAPI
import StackCore
import Store
import Volumes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What Docker's archive endpoints say about a path (`X-Docker-Container-Path-Stat`, base64 JSON).
public struct ContainerPathStat: Codable, Sendable, Hashable {
    public var name: String
    public var size: Int64
    /// Go's `os.FileMode` bits (directory 1<<31, symlink 1<<27, …, permissions in the low 9).
    public var mode: UInt32
    /// RFC 3339.
    public var mtime: String
    public var linkTarget: String

    public init(name: String, size: Int64, mode: UInt32, mtime: String, linkTarget: String) {
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }

    /// Go's `os.ModeDir`.
    public static let directoryBit: UInt32 = 1 << 31
    /// Go's `os.ModeSymlink`.
    public static let symlinkBit: UInt32 = 1 << 27

    public var isDirectory: Bool { mode & Self.directoryBit != 0 }
}

extension ContainerEngine {
    /// `HEAD /containers/{id}/archive?path=`: the path's stat (the final symlink not followed).
    public func statPath(_ reference: String, path: String) throws(StackError) -> ContainerPathStat {
        let record = try record(reference)
        do {
            return try withContainerFiles(record, path: path, writing: false) { root, inner throws(StackError) in
                try Self.pathStat(root: root, path: inner, name: Self.baseName(path))
            }
        } catch where error.code == .notFound {
            throw Self.noSuchPath(path, reference)
        }
    }

    /// `GET /containers/{id}/archive?path=`: a tar of the path (Docker's `cp` naming),
    /// from a running container as it sees its files, or from a stopped one (its rootfs mounted for
    /// the time of the copy, paths in volumes and binds read from their host directories).
    /// Returns the tar's file (in the container's directory; the caller removes it) and the path's stat.
    public func archivePath(_ reference: String, path: String) throws(StackError) -> (file: String, stat: ContainerPathStat) {
        let record = try record(reference)
        let file = paths.container(record.id) + "/archive-\(ContainerIdentity.newID().prefix(16)).tar"
        do {
            let stat = try withContainerFiles(record, path: path, writing: false) { root, inner throws(StackError) in
                let stat = try Self.pathStat(root: root, path: inner, name: Self.baseName(path))
                let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw StackError.system("open \(file)", Errno.current) }
                defer { close(fd) }
                // Named after the container's path, not the host directory it was mapped to.
                let contentOnly = path.hasSuffix("/.") || Self.baseName(path) == "/"
                try PathArchive.pack(root: root, path: inner, to: fd, entryName: contentOnly ? nil : Self.baseName(path))
                return stat
            }
            return (file, stat)
        } catch {
            unlink(file)
            throw error.code == .notFound ? Self.noSuchPath(path, reference) : error
        }
    }

    /// Docker's answer for a path that is not there.
    static func noSuchPath(_ path: String, _ container: String) -> StackError {
        StackError(.notFound, "Could not find the file \(path) in container \(container)")
    }

    /// `PUT /containers/{id}/archive?path=`: extract a tar into the directory `path`. Files become
    /// the container's root's unless `copyUIDGID` (`cp -a`). Read-only mounts and a read-only
    /// rootfs refuse, as Docker.
    public func extractArchive(_ reference: String, path: String, archive: [UInt8], copyUIDGID: Bool) throws(StackError) {
        let record = try record(reference)
        let file = paths.container(record.id) + "/archive-\(ContainerIdentity.newID().prefix(16)).tar"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StackError.system("open \(file)", Errno.current) }
        unlink(file)
        defer { close(fd) }
        var offset = 0
        while offset < archive.count {
            let written = archive.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset) }
            if written < 0 {
                if Errno.current == .EINTR { continue }
                throw StackError.system("write \(file)", Errno.current)
            }
            offset += written
        }
        lseek(fd, 0, SEEK_SET)
        try withContainerFiles(record, path: path, writing: true) { root, inner throws(StackError) in
            try PathArchive.unpack(root: root, path: inner, from: fd, owner: copyUIDGID ? nil : (0, 0))
        }
    }

    /// Run `body` with the root the container's `path` lives under and the path below that root:
    /// a running container's `/proc/PID/root` (its mounts as it sees them); for a stopped one the
    /// host directory of the volume or bind holding the path, or else its rootfs (mounted for the
    /// time of `body` when it was not).
    func withContainerFiles<T>(
        _ record: Store.ContainerRecord, path: String, writing: Bool,
        _ body: (String, String) throws(StackError) -> T
    ) throws(StackError) -> T {
        guard path.hasPrefix("/") else {
            throw StackError(.invalidArgument, "path \"\(path)\" is not absolute")
        }
        let stored = try StoredConfig.decode(record.config, container: record.id)
        let mount = Self.mount(holding: path, in: stored.mounts ?? [])
        if writing {
            if let mount, mount.readOnly {
                throw StackError(.invalidArgument, "mounted volume is marked read-only")
            }
            if mount == nil && stored.request.hostConfig.readonlyRootfs {
                throw StackError(.invalidArgument, "container rootfs is marked read-only")
            }
        }
        if (record.state == .running || record.state == .paused), let pid = record.pid, pid > 0,
            FileSystem.exists("/proc/\(pid)/root")
        {
            return try body("/proc/\(pid)/root", path)
        }
        if let mount, mount.kind != .tmpfs, mount.fileSystem == nil {
            var info = Glibc.stat()
            if stat(mount.source, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
                // A file bound on its own: its directory is the root, the file the path.
                let slash = mount.source.lastIndex(of: "/") ?? mount.source.startIndex
                let parent = String(mount.source[..<slash])
                return try body(parent.isEmpty ? "/" : parent, String(mount.source[slash...]))
            }
            return try body(mount.source, Self.below(mount.target, path))
        }
        let wasMounted = rootfs.isMounted(paths.rootfs(record.id))
        try mountRootfs(record)
        defer { if !wasMounted { unmountRootfs(record.id) } }
        return try body(paths.rootfs(record.id), path)
    }

    /// The mount with the longest target holding `path` (lexically), if any.
    static func mount(holding path: String, in mounts: [ResolvedMount]) -> ResolvedMount? {
        let clean = MountParsing.cleanPath(path)
        return mounts.filter { clean == $0.target || clean.hasPrefix($0.target + "/") }
            .max { $0.target.count < $1.target.count }
    }

    /// `path` relative to the mount at `target`, keeping a final `/` or `/.` (they matter to `cp`).
    static func below(_ target: String, _ path: String) -> String {
        let clean = MountParsing.cleanPath(path)
        let rest = String(clean.dropFirst(target.count))
        let suffix = path.hasSuffix("/.") ? "/." : (path.hasSuffix("/") && clean != "/" ? "/" : "")
        let result = rest + suffix
        return result.isEmpty ? "/" : (result.hasPrefix("/") ? result : "/" + result)
    }

    /// The last component of `path` as `cp` names it (`/` for the root).
    static func baseName(_ path: String) -> String {
        let components = path.split(separator: "/").filter { $0 != "." }
        return components.last.map(String.init) ?? "/"
    }

    /// lstat of `path` inside `root` (the parents resolved, the last component not followed).
    static func pathStat(root: String, path: String, name: String) throws(StackError) -> ContainerPathStat {
        let clean = MountParsing.cleanPath(path)
        var full = root
        if clean != "/" {
            let slash = clean.lastIndex(of: "/") ?? clean.startIndex
            let parent = String(clean[..<slash])
            full = try PathArchive.resolve(root: root, path: parent.isEmpty ? "/" : parent) + "/" + clean[clean.index(after: slash)...]
        }
        var info = Glibc.stat()
        guard lstat(full, &info) == 0 else {
            throw StackError(.notFound, "Could not find the file \(path) in container")
        }
        var mode = UInt32(info.st_mode & 0o777)
        if info.st_mode & S_ISUID != 0 { mode |= 1 << 23 }
        if info.st_mode & S_ISGID != 0 { mode |= 1 << 22 }
        if info.st_mode & S_ISVTX != 0 { mode |= 1 << 20 }
        var linkTarget = ""
        switch info.st_mode & S_IFMT {
        case S_IFDIR: mode |= ContainerPathStat.directoryBit
        case S_IFLNK:
            mode |= ContainerPathStat.symlinkBit
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBufferPointer { pointer in
                pointer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: pointer.count) { readlink(full, $0, pointer.count) }
                } ?? -1
            }
            if count > 0 { linkTarget = String(decoding: buffer[0..<count], as: UTF8.self) }
        case S_IFBLK: mode |= 1 << 26
        case S_IFCHR: mode |= (1 << 26) | (1 << 21)
        case S_IFIFO: mode |= 1 << 25
        case S_IFSOCK: mode |= 1 << 24
        default: break
        }
        return ContainerPathStat(
            name: name, size: Int64(info.st_size), mode: mode,
            mtime: TimeText.rfc3339(Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9),
            linkTarget: linkTarget)
    }
}
