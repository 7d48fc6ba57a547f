import CArchive
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes one tar entry under a layer root after checking it stays inside (see `LayerUnpacker`).
struct LayerEntryWriter {
    let root: String
    let label: String
    let disk: OpaquePointer
    let whiteouts: Bool

    private static let whiteoutPrefix = ".wh."
    private static let opaqueMarker = ".wh..wh..opq"
    /// AUFS bookkeeping entries (`.wh..wh.plnk`, `.wh..wh.aufs`), skipped as Docker does.
    private static let metaPrefix = ".wh..wh."
    /// Overlay's own xattrs are never taken from an archive: they would steer the overlay mount.
    private static let overlayXattrPrefix = "trusted.overlay."

    func write(entry: OpaquePointer, from reader: OpaquePointer) throws(StackError) {
        let rawName = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        // An absolute name is refused, not re-rooted: a layer's names are relative to its root.
        guard !rawName.hasPrefix("/") else {
            throw StackError(.invalidArgument, "layer \(label): entry '\(rawName)' has an absolute path")
        }
        guard let path = LayerPath(entryName: rawName) else {
            throw StackError(.invalidArgument, "layer \(label): entry '\(rawName)' escapes the layer")
        }
        if path.isRoot { return }
        try checkNoSymlinkParents(path, entryName: rawName)

        if whiteouts && path.name.hasPrefix(LayerEntryWriter.whiteoutPrefix) {
            try writeWhiteout(path, entryName: rawName)
            return
        }
        if let link = archive_entry_hardlink(entry) {
            let linkName = String(cString: link)
            guard !linkName.hasPrefix("/"), let target = LayerPath(entryName: linkName), !target.isRoot else {
                throw StackError(
                    .invalidArgument, "layer \(label): hard link '\(rawName)' to '\(linkName)' escapes the layer")
            }
            try checkNoSymlinkParents(target, entryName: rawName)
            guard POSIXFile.exists(target.absolute(in: root)) else {
                throw StackError(
                    .invalidArgument,
                    "layer \(label): hard link '\(rawName)' to '\(linkName)': the target is not in the layer")
            }
            archive_entry_set_hardlink(entry, target.absolute(in: root))
        }
        stripOverlayXattrs(entry)
        archive_entry_set_pathname(entry, path.absolute(in: root))
        var status = archive_write_header(disk, entry)
        if status < ARCHIVE_WARN {
            throw StackError(.invalidArgument, "layer \(label): entry '\(rawName)': \(ArchiveError.message(disk))")
        }
        if archive_entry_size(entry) > 0 {
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            while true {
                status = archive_read_data_block(reader, &buffer, &size, &offset)
                if status == ARCHIVE_EOF { break }
                if status < ARCHIVE_WARN {
                    throw StackError(
                        .invalidArgument, "layer \(label): entry '\(rawName)': \(ArchiveError.message(reader))")
                }
                if archive_write_data_block(disk, buffer, size, offset) < ARCHIVE_WARN {
                    throw StackError(.system, "layer \(label): entry '\(rawName)': \(ArchiveError.message(disk))")
                }
            }
        }
        if archive_write_finish_entry(disk) < ARCHIVE_WARN {
            throw StackError(.system, "layer \(label): entry '\(rawName)': \(ArchiveError.message(disk))")
        }
    }

    /// Refuse an entry if any directory above it (inside the layer) is a symlink: writing through it
    /// could land anywhere. The layer directory is fresh, so whatever is there came from this archive.
    private func checkNoSymlinkParents(_ path: LayerPath, entryName: String) throws(StackError) {
        var current = root
        for component in path.components.dropLast() {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) != 0 { return }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                let prefix = String(current.dropFirst(root.count + 1))
                throw StackError(
                    .invalidArgument, "layer \(label): entry '\(entryName)' goes through the symlink '\(prefix)'")
            }
        }
    }

    /// Create the missing directories of `path` (0755; a later directory entry sets their metadata).
    private func makeDirectories(_ path: LayerPath) throws(StackError) {
        var current = root
        for component in path.components {
            current += "/" + component
            if mkdir(current, 0o755) != 0 {
                let error = Errno.current
                if error != .EEXIST { throw StackError(.system, "layer \(label): mkdir \(current)", cause: error) }
            }
        }
    }

    private func writeWhiteout(_ path: LayerPath, entryName: String) throws(StackError) {
        try makeDirectories(path.parent)
        let directory = path.parent.absolute(in: root)
        if path.name == LayerEntryWriter.opaqueMarker {
            try markOpaque(directory, entryName: entryName)
            return
        }
        if path.name.hasPrefix(LayerEntryWriter.metaPrefix) { return }
        let hidden = String(path.name.dropFirst(LayerEntryWriter.whiteoutPrefix.count))
        guard !hidden.isEmpty, !hidden.hasPrefix(LayerEntryWriter.whiteoutPrefix) else {
            throw StackError(.invalidArgument, "layer \(label): entry '\(entryName)' is not a valid whiteout")
        }
        let target = path.sibling(named: hidden).absolute(in: root)
        if POSIXFile.exists(target) { POSIXFile.removeTree(target) }
        if mknod(target, S_IFCHR, 0) != 0 {
            throw StackError(
                .system, "layer \(label): entry '\(entryName)': mknod whiteout \(target)", cause: Errno.current)
        }
    }

    /// Set `trusted.overlay.opaque=y` on `directory` through libarchive (Swift's Glibc has no `setxattr`):
    /// a directory entry carrying the directory's current metadata plus the xattr.
    private func markOpaque(_ directory: String, entryName: String) throws(StackError) {
        var info = stat()
        guard lstat(directory, &info) == 0, let entry = archive_entry_new() else {
            throw StackError(.system, "layer \(label): entry '\(entryName)': stat \(directory)", cause: Errno.current)
        }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, directory)
        archive_entry_set_filetype(entry, 0o040000)
        archive_entry_set_perm(entry, UInt32(info.st_mode & 0o7777))
        archive_entry_set_uid(entry, la_int64_t(info.st_uid))
        archive_entry_set_gid(entry, la_int64_t(info.st_gid))
        archive_entry_set_mtime(entry, time_t(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        let value: [UInt8] = [UInt8(ascii: "y")]
        value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, "trusted.overlay.opaque", $0.baseAddress, 1) }
        if archive_write_header(disk, entry) != ARCHIVE_OK || archive_write_finish_entry(disk) != ARCHIVE_OK {
            throw StackError(
                .system,
                "layer \(label): entry '\(entryName)': setting trusted.overlay.opaque on \(directory): "
                    + ArchiveError.message(disk))
        }
    }

    /// Keep the entry's xattrs except `trusted.overlay.*`.
    private func stripOverlayXattrs(_ entry: OpaquePointer) {
        guard archive_entry_xattr_reset(entry) > 0 else { return }
        var kept: [(String, [UInt8])] = []
        var dropped = false
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
            guard let name else { continue }
            let key = String(cString: name)
            if key.hasPrefix(LayerEntryWriter.overlayXattrPrefix) {
                dropped = true
                continue
            }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            kept.append((key, bytes))
        }
        guard dropped else { return }
        archive_entry_xattr_clear(entry)
        for (key, bytes) in kept {
            bytes.withUnsafeBytes { archive_entry_xattr_add_entry(entry, key, $0.baseAddress, $0.count) }
        }
    }
}
