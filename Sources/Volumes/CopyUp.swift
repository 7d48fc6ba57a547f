import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Docker's copy-up: the first time an empty volume is mounted over a path with content in the
/// image, that content is copied into the volume.
public enum CopyUp {
    /// Copy the content at `source` (a directory inside the container's merged rootfs) into the empty
    /// volume directory `destination`: files, dirs, symlinks, hard links (as links), devices/fifos,
    /// owners, modes (incl. setuid/sticky), times (atime/mtime, dirs last), xattrs (not trusted.overlay.*).
    /// Never follows symlinks out. Docker copies only when the volume is empty and the path has content.
    ///
    /// A missing `source`, or a `destination` that already has entries, copies nothing. The
    /// destination directory itself takes the source directory's owner, mode, xattrs and times
    /// (Docker keeps the image directory's ownership on the volume's root). A `source` that is not a
    /// directory fails with `.invalidArgument`.
    public static func copy(from source: String, to destination: String) throws(StackError) {
        var info = stat()
        if lstat(source, &info) != 0 {
            let error = Errno.current
            if error == .ENOENT { return }
            throw StackError(.system, "copy-up: lstat \(source)", cause: error)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StackError(.invalidArgument, "copy-up: \(source) is not a directory")
        }
        let sourceFD = try FS.openDirectory(source, what: "copy-up source \(source)")
        defer { close(sourceFD) }
        let destinationFD = try FS.openDirectory(destination, what: "copy-up destination \(destination)")
        defer { close(destinationFD) }
        guard try FS.names(in: destinationFD, what: destination).isEmpty else { return }
        var copier = TreeCopier(destinationRoot: destinationFD, destinationName: destination)
        try copier.copyChildren(of: sourceFD, into: destinationFD, relative: "", what: source)
        var metadata = FileMetadata(try FS.status(sourceFD, what: source))
        metadata.xattrs = try Xattrs.read(FS.procPath(sourceFD, "."))
        // The root is named through its own descriptor: "." in itself.
        try FS.apply(metadata, at: destinationFD, ".", isSymlink: false, what: destination)
    }
}

/// The recursive walk behind `CopyUp.copy`: source directories are opened one component at a time
/// with `O_NOFOLLOW`, everything is created relative to an open destination directory.
struct TreeCopier {
    /// The destination's root, for hard links (their first copy is named relative to it).
    let destinationRoot: Int32
    let destinationName: String
    /// Source inode → path (relative to the destination root) of its first copy.
    private var firstCopies: [FileIdentity: String] = [:]

    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    init(destinationRoot: Int32, destinationName: String) {
        self.destinationRoot = destinationRoot
        self.destinationName = destinationName
    }

    mutating func copyChildren(of source: Int32, into destination: Int32, relative: String, what: String)
        throws(StackError)
    {
        for name in try FS.names(in: source, what: what) {
            try copyEntry(name, from: source, into: destination, relative: relative, what: what + "/" + name)
        }
    }

    private mutating func copyEntry(
        _ name: String, from source: Int32, into destination: Int32, relative: String, what: String
    ) throws(StackError) {
        guard let info = try FS.status(at: source, name, what: what) else { return }  // vanished
        guard let kind = FileKind(mode: info.st_mode) else {
            throw StackError(.unsupported, "copy-up: \(what) has an unknown file type")
        }
        let relativePath = relative.isEmpty ? name : relative + "/" + name
        let target = destinationName + "/" + relativePath
        var metadata = FileMetadata(info)
        metadata.xattrs = try Xattrs.read(FS.procPath(source, name))

        if kind != .directory && info.st_nlink > 1 {
            let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if let first = firstCopies[identity] {
                if linkat(destinationRoot, first, destination, name, 0) != 0 {
                    throw StackError(.system, "copy-up: link \(target) to \(first)", cause: Errno.current)
                }
                return
            }
            firstCopies[identity] = relativePath
        }

        switch kind {
        case .directory:
            if mkdirat(destination, name, 0o700) != 0 {
                throw StackError(.system, "copy-up: mkdir \(target)", cause: Errno.current)
            }
            let sourceChild = try FS.openDirectory(at: source, name, what: what)
            defer { close(sourceChild) }
            let destinationChild = try FS.openDirectory(at: destination, name, what: target)
            defer { close(destinationChild) }
            try copyChildren(of: sourceChild, into: destinationChild, relative: relativePath, what: what)
        case .regular:
            let input = openat(source, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if input < 0 { throw StackError(.system, "copy-up: open \(what)", cause: Errno.current) }
            defer { close(input) }
            let output = openat(destination, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if output < 0 { throw StackError(.system, "copy-up: create \(target)", cause: Errno.current) }
            defer { close(output) }
            try FS.copyContent(from: input, to: output, what: target)
        case .symlink:
            let link = try FS.readLink(at: source, name, what: what)
            if symlinkat(link, destination, name) != 0 {
                throw StackError(.system, "copy-up: symlink \(target)", cause: Errno.current)
            }
        case .characterDevice, .blockDevice, .fifo, .socket:
            if mknodat(destination, name, kind.typeBits | 0o600, info.st_rdev) != 0 {
                throw StackError(.system, "copy-up: mknod \(target)", cause: Errno.current)
            }
        }
        try FS.apply(metadata, at: destination, name, isSymlink: kind == .symlink, what: target)
    }
}
