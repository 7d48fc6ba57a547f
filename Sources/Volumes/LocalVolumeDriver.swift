import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Docker's `local` volume driver layout: `<root>/<name>/_data` holds a volume's files.
///
/// `root` (`$STACK_ROOT/volumes`) is 0701 so other users cannot list volume names; each volume
/// directory and its `_data` are 0755 root-owned (copy-up may change `_data`'s owner and mode).
public struct LocalVolumeDriver: Sendable {
    /// The directory that holds every volume.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// `<root>/<name>/_data`. The name is not validated here.
    public func mountpoint(_ name: String) -> String { root + "/" + name + "/_data" }

    /// Creates the volume's directories (idempotent: an existing volume is kept as it is) and returns
    /// its mountpoint. The name must pass `VolumeName.validate`.
    public func create(_ name: String) throws(StackError) -> String {
        try VolumeName.validate(name)
        try Directories.make(root, mode: 0o701)
        for path in [root + "/" + name, mountpoint(name)] where mkdir(path, 0o755) != 0 {
            let error = Errno.current
            guard error == .EEXIST else { throw StackError(.system, "create volume \(name): mkdir \(path)", cause: error) }
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw StackError(.conflict, "create volume \(name): \(path) exists and is not a directory")
            }
        }
        return mountpoint(name)
    }

    /// Removes the volume's directory and everything in it; a volume that does not exist is fine.
    /// Refuses (`.conflict`) while something is mounted on `_data`: the files would go from under a
    /// container.
    public func remove(_ name: String) throws(StackError) {
        try VolumeName.validate(name)
        let directory = root + "/" + name
        var volumeInfo = stat()
        if lstat(directory, &volumeInfo) != 0 { return }
        var dataInfo = stat()
        if lstat(mountpoint(name), &dataInfo) == 0 && dataInfo.st_dev != volumeInfo.st_dev {
            throw StackError(.conflict, "remove volume \(name): \(mountpoint(name)) is still mounted")
        }
        let rootFD = try FS.openDirectory(root, what: "volumes directory \(root)")
        defer { close(rootFD) }
        try FS.removeTree(at: rootFD, name, what: directory)
    }

    /// The names of the volume directories on disk, sorted (for finding volumes the store forgot).
    public func names() -> [String] {
        guard let fd = try? FS.openDirectory(root) else { return [] }
        defer { close(fd) }
        return ((try? FS.names(in: fd, what: root)) ?? []).filter { name in
            VolumeName.isValid(name) && (try? FS.status(at: fd, name, what: name)).map { $0.st_mode & S_IFMT == S_IFDIR } == true
        }
    }

    /// True when `_data` has no entries (or does not exist).
    public func isEmpty(_ name: String) -> Bool {
        guard let fd = try? FS.openDirectory(mountpoint(name)) else { return true }
        defer { close(fd) }
        return (try? FS.names(in: fd, what: mountpoint(name)).isEmpty) ?? true
    }

    /// Bytes of the files under `_data` (each inode counted once, symlinks by their own size, other
    /// file systems mounted inside not entered); 0 when missing.
    public func size(_ name: String) -> Int64 {
        guard let fd = try? FS.openDirectory(mountpoint(name)) else { return 0 }
        defer { close(fd) }
        guard let info = try? FS.status(fd, what: name) else { return 0 }
        var seen: Set<TreeCopier.FileIdentity> = []
        return Self.size(of: fd, device: info.st_dev, seen: &seen)
    }

    private static func size(of directory: Int32, device: dev_t, seen: inout Set<TreeCopier.FileIdentity>) -> Int64 {
        var total: Int64 = 0
        for name in (try? FS.names(in: directory, what: "")) ?? [] {
            guard let info = try? FS.status(at: directory, name, what: name), info.st_dev == device else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                guard let child = try? FS.openDirectory(at: directory, name, what: name) else { continue }
                total += size(of: child, device: device, seen: &seen)
                close(child)
            } else if seen.insert(.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted {
                total += Int64(info.st_size)
            }
        }
        return total
    }
}
