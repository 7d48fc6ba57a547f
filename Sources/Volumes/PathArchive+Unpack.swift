import CArchive
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

extension PathArchive {
    /// Extract a tar from fd into `path` inside `root` (refuse entries escaping `root`; `..`, absolute
    /// names, symlinked parents), keeping modes/owners/times.
    ///
    /// `path` is resolved inside `root` and must be an existing directory. Entries replace what is
    /// there (a directory entry over an existing directory keeps it). Hard links must point at an
    /// entry already extracted. `owner`, when given, replaces every entry's owner (Docker's `cp`
    /// without `-a` makes files the container's root's). A refused entry stops the extraction;
    /// entries before it stay. Gzip, xz, bzip2 and zstd streams are decompressed.
    public static func unpack(
        root: String, path: String, from fd: Int32, owner: (uid: UInt32, gid: UInt32)? = nil
    ) throws(StackError) {
        let components = try resolvedComponents(root: root, path: path, followLast: true)
        let rootFD = try FS.openRoot(root)
        defer { close(rootFD) }
        let destination: Int32
        do {
            destination = try openDirectory(root: rootFD, components, create: false, what: "cp \(path)")
        } catch {
            if error.code == .notFound { throw StackError(.notFound, "Could not find the file \(path) in container") }
            if error.code == .invalidArgument {
                throw StackError(.invalidArgument, "extraction point \(path) is not a directory")
            }
            throw error
        }
        defer { close(destination) }
        guard let reader = archive_read_new() else { throw StackError(.system, "archive_read_new failed") }
        defer { archive_read_free(reader) }
        archive_read_support_format_tar(reader)
        archive_read_support_filter_all(reader)
        if archive_read_open_fd(reader, fd, 1 << 16) != ARCHIVE_OK {
            throw StackError(.invalidArgument, "cp \(path): \(ArchiveWriter.message(reader))")
        }
        var extractor = TreeExtractor(destination: destination, reader: reader, owner: owner, label: "cp \(path)")
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw StackError(.invalidArgument, "cp \(path): not a tar archive: \(ArchiveWriter.message(reader))")
            }
            try extractor.extract(entry)
        }
        try extractor.finishDirectories()
    }
}

/// Writes tar entries under an open destination directory: names are split into components and
/// walked with `O_NOFOLLOW`, so no entry lands outside it.
struct TreeExtractor {
    let destination: Int32
    let reader: OpaquePointer
    let owner: (uid: UInt32, gid: UInt32)?
    let label: String
    /// Directories whose metadata is applied at the end (their times would change as entries land).
    private var directories: [([String], FileMetadata)] = []

    init(destination: Int32, reader: OpaquePointer, owner: (uid: UInt32, gid: UInt32)?, label: String) {
        self.destination = destination
        self.reader = reader
        self.owner = owner
        self.label = label
    }

    /// The components of an entry name; refuses absolute names and `..`.
    func components(_ name: String, entry: String) throws(StackError) -> [String] {
        if name.hasPrefix("/") {
            throw StackError(.invalidArgument, "\(label): entry '\(entry)' has an absolute path")
        }
        var result: [String] = []
        for part in PathArchive.split(name) where part != "." {
            if part == ".." { throw StackError(.invalidArgument, "\(label): entry '\(entry)' escapes the destination") }
            result.append(part)
        }
        return result
    }

    mutating func extract(_ entry: OpaquePointer) throws(StackError) {
        let rawName = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let parts = try components(rawName, entry: rawName)
        guard let name = parts.last else { return }  // the destination itself keeps its metadata
        let what = "\(label): entry '\(rawName)'"
        let parent = try openParent(Array(parts.dropLast()), entry: rawName)
        defer { close(parent) }
        let metadata = self.metadata(of: entry)
        let fileType = mode_t(archive_entry_filetype(entry))
        let hardLink = archive_entry_hardlink(entry).map { String(cString: $0) }
        let kind = hardLink == nil ? FileKind(mode: fileType) : .regular
        guard let kind else { throw StackError(.unsupported, "\(what): unknown entry type") }

        if let existing = try FS.status(at: parent, name, what: what) {
            let existingIsDirectory = (existing.st_mode & S_IFMT) == S_IFDIR
            if !(existingIsDirectory && kind == .directory && hardLink == nil) {
                try FS.removeTree(at: parent, name, what: what)
            }
        }
        if let hardLink {
            let targetParts = try components(hardLink, entry: rawName)
            guard let targetName = targetParts.last else {
                throw StackError(.invalidArgument, "\(what): hard link to '\(hardLink)' escapes the destination")
            }
            let targetParent = try openParent(Array(targetParts.dropLast()), entry: rawName, create: false)
            defer { close(targetParent) }
            if linkat(targetParent, targetName, parent, name, 0) != 0 {
                throw StackError(.invalidArgument, "\(what): hard link to '\(hardLink)'", cause: Errno.current)
            }
            return
        }
        switch kind {
        case .directory:
            if mkdirat(parent, name, 0o700) != 0 && Errno.current != .EEXIST {
                throw StackError(.system, "\(what): mkdir", cause: Errno.current)
            }
            directories.append((parts, metadata))
            return
        case .regular:
            let output = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if output < 0 { throw StackError(.system, "\(what): create", cause: Errno.current) }
            defer { close(output) }
            try writeData(to: output, size: archive_entry_size(entry), what: what)
        case .symlink:
            let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
            if symlinkat(target, parent, name) != 0 { throw StackError(.system, "\(what): symlink", cause: Errno.current) }
        case .characterDevice, .blockDevice, .fifo, .socket:
            if mknodat(parent, name, kind.typeBits | 0o600, archive_entry_rdev(entry)) != 0 {
                throw StackError(.system, "\(what): mknod", cause: Errno.current)
            }
        }
        try FS.apply(metadata, at: parent, name, isSymlink: kind == .symlink, what: what)
    }

    /// Applies the directories' metadata, deepest first.
    func finishDirectories() throws(StackError) {
        for (parts, metadata) in directories.reversed() {
            guard let name = parts.last else { continue }
            let parent = try openParent(Array(parts.dropLast()), entry: parts.joined(separator: "/"), create: false)
            defer { close(parent) }
            try FS.apply(metadata, at: parent, name, isSymlink: false, what: "\(label): \(parts.joined(separator: "/"))")
        }
    }

    private func openParent(_ parts: [String], entry: String, create: Bool = true) throws(StackError) -> Int32 {
        do {
            return try PathArchive.openDirectory(root: destination, parts, create: create, what: "\(label): entry '\(entry)'")
        } catch {
            if error.message.hasSuffix("is a symbolic link") {
                throw StackError(.invalidArgument, "\(label): entry '\(entry)' goes through a symbolic link")
            }
            throw error
        }
    }

    private func metadata(of entry: OpaquePointer) -> FileMetadata {
        let uid = owner?.uid ?? UInt32(truncatingIfNeeded: archive_entry_uid(entry))
        let gid = owner?.gid ?? UInt32(truncatingIfNeeded: archive_entry_gid(entry))
        let mtime = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: archive_entry_mtime_nsec(entry))
        let atime = archive_entry_atime_is_set(entry) != 0
            ? timespec(tv_sec: archive_entry_atime(entry), tv_nsec: archive_entry_atime_nsec(entry)) : mtime
        var metadata = FileMetadata(
            uid: uid, gid: gid, permissions: UInt32(archive_entry_perm(entry)) & 0o7777, accessTime: atime,
            modificationTime: mtime)
        if archive_entry_xattr_reset(entry) > 0 {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
                guard let name else { continue }
                let key = String(cString: name)
                if key.hasPrefix(Xattrs.overlayPrefix) { continue }
                metadata.xattrs.append((key, value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []))
            }
        }
        return metadata
    }

    private func writeData(to fd: Int32, size expected: la_int64_t, what: String) throws(StackError) {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { break }
            if status < ARCHIVE_WARN { throw StackError(.invalidArgument, "\(what): \(ArchiveWriter.message(reader))") }
            guard let buffer, size > 0 else { continue }
            var written = 0
            while written < size {
                let n = pwrite(fd, buffer + written, size - written, off_t(offset) + off_t(written))
                if n < 0 {
                    if Errno.current == .EINTR { continue }
                    throw StackError(.system, "\(what): write", cause: Errno.current)
                }
                written += n
            }
        }
        // A sparse file's trailing hole.
        if expected > 0 && ftruncate(fd, off_t(expected)) != 0 {
            throw StackError(.system, "\(what): truncate", cause: Errno.current)
        }
    }
}
