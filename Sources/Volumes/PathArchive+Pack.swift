import CArchive
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

extension PathArchive {
    /// Write a tar of `path` (resolved inside `root`, symlinks resolved as if `root` were /) to fd.
    ///
    /// Docker's `cp` semantics: the entries are named after the path's last component (`/etc` gives
    /// `etc`, `etc/passwd`, …); a path ending in `/.` gives the directory's content (`.`, `./passwd`);
    /// a final symlink is archived as the link itself unless the path ends in `/` or `/.`. Nothing
    /// below is followed: symlinks are stored as links, hard links as links to their first name.
    /// A missing path fails with `.notFound`. `fd` is not closed. `entryName`, when given, replaces the
    /// name of the top entry (what `cp` does when the destination is a new name).
    public static func pack(root: String, path: String, to fd: Int32, entryName: String? = nil) throws(StackError) {
        let contentOnly = path.hasSuffix("/.") || path == "."
        let followLast = contentOnly || path.hasSuffix("/")
        let components = try resolvedComponents(root: root, path: path, followLast: followLast)
        let top: String
        if contentOnly || components.isEmpty {
            top = "."
        } else {
            top = split(path).last(where: { $0 != "." }) ?? "."
        }
        let entryTop = entryName ?? top
        let rootFD = try FS.openRoot(root)
        defer { close(rootFD) }
        let parentFD = try openDirectory(
            root: rootFD, Array(components.dropLast()), create: false, what: "cp \(path)")
        defer { close(parentFD) }
        let name = components.last ?? "."
        guard let info = try FS.status(at: parentFD, name, what: path) else {
            throw StackError(.notFound, "Could not find the file \(path) in container")
        }
        if path.hasSuffix("/") && (info.st_mode & S_IFMT) != S_IFDIR {
            throw StackError(.invalidArgument, "\(path): not a directory")
        }
        let writer = try ArchiveWriter(fd: fd)
        var packer = TreePacker(writer: writer)
        try packer.add(name, in: parentFD, info: info, entryName: entryTop, what: path)
        try writer.finish()
    }
}

/// A libarchive tar writer (pax) on a descriptor.
final class ArchiveWriter {
    let archive: OpaquePointer
    private var finished = false

    init(fd: Int32) throws(StackError) {
        guard let archive = archive_write_new() else { throw StackError(.system, "archive_write_new failed") }
        self.archive = archive
        archive_write_set_format_pax_restricted(archive)
        archive_write_set_bytes_in_last_block(archive, 1)
        if archive_write_open_fd(archive, fd) != ARCHIVE_OK {
            let message = Self.message(archive)
            archive_write_free(archive)
            throw StackError(.system, "tar: open: \(message)")
        }
    }

    deinit {
        if !finished { archive_write_close(archive) }
        archive_write_free(archive)
    }

    func finish() throws(StackError) {
        finished = true
        if archive_write_close(archive) != ARCHIVE_OK {
            throw StackError(.system, "tar: close: \(Self.message(archive))")
        }
    }

    static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}

/// The walk behind `pack`: directories opened with `O_NOFOLLOW`, one entry per file.
struct TreePacker {
    let writer: ArchiveWriter
    /// Inode → entry name of its first appearance, for hard links.
    private var firstNames: [TreeCopier.FileIdentity: String] = [:]

    init(writer: ArchiveWriter) {
        self.writer = writer
    }

    mutating func add(_ name: String, in directory: Int32, info: stat, entryName: String, what: String)
        throws(StackError)
    {
        guard let kind = FileKind(mode: info.st_mode), kind != .socket else { return }  // tar has no sockets
        guard let entry = archive_entry_new() else { throw StackError(.system, "archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        var status = info
        archive_entry_copy_stat(entry, &status)
        archive_entry_set_pathname(entry, entryName)
        for (key, value) in try Xattrs.read(FS.procPath(directory, name)) {
            value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, key, $0.baseAddress, $0.count) }
        }
        var isHardLink = false
        if kind != .directory && info.st_nlink > 1 {
            let identity = TreeCopier.FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if let first = firstNames[identity] {
                archive_entry_set_hardlink(entry, first)
                archive_entry_set_size(entry, 0)
                isHardLink = true
            } else {
                firstNames[identity] = entryName
            }
        }
        if kind == .symlink {
            archive_entry_set_symlink(entry, try FS.readLink(at: directory, name, what: what))
        }
        if kind != .regular || isHardLink { archive_entry_set_size(entry, 0) }
        if archive_write_header(writer.archive, entry) < ARCHIVE_WARN {
            throw StackError(.system, "tar: \(what): \(ArchiveWriter.message(writer.archive))")
        }
        if kind == .regular && !isHardLink {
            try writeContent(name, in: directory, size: Int64(info.st_size), what: what)
        }
        guard kind == .directory else { return }
        let child = try FS.openDirectory(at: directory, name, what: what)
        defer { close(child) }
        for childName in try FS.names(in: child, what: what) {
            guard let childInfo = try FS.status(at: child, childName, what: what + "/" + childName) else { continue }
            try add(childName, in: child, info: childInfo, entryName: entryName + "/" + childName,
                what: what + "/" + childName)
        }
    }

    private func writeContent(_ name: String, in directory: Int32, size: Int64, what: String) throws(StackError) {
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw StackError(.system, "open \(what)", cause: Errno.current) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        var remaining = size
        while remaining > 0 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, Int(remaining))) }
            if n < 0 {
                if Errno.current == .EINTR { continue }
                throw StackError(.system, "read \(what)", cause: Errno.current)
            }
            if n == 0 { break }
            let written = chunk.withUnsafeBytes { archive_write_data(writer.archive, $0.baseAddress, n) }
            if written != n { throw StackError(.system, "tar: \(what): \(ArchiveWriter.message(writer.archive))") }
            remaining -= Int64(n)
        }
        if remaining != 0 { throw StackError(.system, "tar: \(what) shrank while being archived") }
    }
}
