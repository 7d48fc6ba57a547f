import CArchive
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a tar stream (pax format, optionally gzip/xz/zstd-compressed) with libarchive: for
/// `save`, and for building test layers.
public final class TarWriter {
    /// The kind of a tar entry.
    public enum Kind: Sendable {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardLink(String)
        case characterDevice(major: UInt32, minor: UInt32)
        case blockDevice(major: UInt32, minor: UInt32)
        case fifo
    }

    private let archive: OpaquePointer
    private var ownedFD: Int32 = -1
    private var finished = false

    /// Write to `fd` (not closed by the writer).
    public init(fd: Int32, compression: LayerCompression = .none) throws(StackError) {
        guard let archive = archive_write_new() else { throw StackError(.system, "archive_write_new failed") }
        self.archive = archive
        archive_write_set_format_pax_restricted(archive)
        let status: Int32
        switch compression {
        case .none: status = ARCHIVE_OK
        case .gzip: status = archive_write_add_filter_gzip(archive)
        case .xz: status = archive_write_add_filter_xz(archive)
        case .zstd: status = archive_write_add_filter_zstd(archive)
        case .bzip2: status = archive_write_add_filter_bzip2(archive)
        case .other: status = ARCHIVE_FATAL
        }
        if status != ARCHIVE_OK {
            let message = ArchiveError.message(archive)
            archive_write_free(archive)
            throw StackError(.unsupported, "tar: \(compression.rawValue) compression unavailable: \(message)")
        }
        archive_write_set_bytes_in_last_block(archive, 1)
        if archive_write_open_fd(archive, fd) != ARCHIVE_OK {
            let message = ArchiveError.message(archive)
            archive_write_free(archive)
            throw StackError(.system, "tar: open: \(message)")
        }
    }

    /// Write to a new file at `path` (replaced if it exists).
    public convenience init(path: String, compression: LayerCompression = .none) throws(StackError) {
        let fd = try POSIXFile.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        do {
            try self.init(fd: fd, compression: compression)
        } catch {
            Glibc.close(fd)
            throw error
        }
        ownedFD = fd
    }

    deinit {
        if !finished { archive_write_close(archive) }
        archive_write_free(archive)
        if ownedFD >= 0 { Glibc.close(ownedFD) }
    }

    /// Add one entry. `xattrs` values are raw bytes.
    public func add(
        _ name: String, _ kind: Kind, mode: UInt32? = nil, uid: Int64 = 0, gid: Int64 = 0, mtime: Int = 1_700_000_000,
        xattrs: [String: [UInt8]] = [:]
    ) throws(StackError) {
        guard let entry = archive_entry_new() else { throw StackError(.system, "archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_uid(entry, uid)
        archive_entry_set_gid(entry, gid)
        archive_entry_set_mtime(entry, time_t(mtime), 0)
        var data: [UInt8] = []
        switch kind {
        case .file(let bytes):
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_perm(entry, mode ?? 0o644)
            archive_entry_set_size(entry, la_int64_t(bytes.count))
            data = bytes
        case .directory:
            archive_entry_set_filetype(entry, 0o040000)
            archive_entry_set_perm(entry, mode ?? 0o755)
        case .symlink(let target):
            archive_entry_set_filetype(entry, 0o120000)
            archive_entry_set_perm(entry, mode ?? 0o777)
            archive_entry_set_symlink(entry, target)
        case .hardLink(let target):
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_perm(entry, mode ?? 0o644)
            archive_entry_set_hardlink(entry, target)
            archive_entry_set_size(entry, 0)
        case .characterDevice(let major, let minor):
            archive_entry_set_filetype(entry, 0o020000)
            archive_entry_set_perm(entry, mode ?? 0o666)
            archive_entry_set_rdevmajor(entry, dev_t(major))
            archive_entry_set_rdevminor(entry, dev_t(minor))
        case .blockDevice(let major, let minor):
            archive_entry_set_filetype(entry, 0o060000)
            archive_entry_set_perm(entry, mode ?? 0o660)
            archive_entry_set_rdevmajor(entry, dev_t(major))
            archive_entry_set_rdevminor(entry, dev_t(minor))
        case .fifo:
            archive_entry_set_filetype(entry, 0o010000)
            archive_entry_set_perm(entry, mode ?? 0o644)
        }
        for (key, value) in xattrs.sorted(by: { $0.key < $1.key }) {
            value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, key, $0.baseAddress, $0.count) }
        }
        if archive_write_header(archive, entry) < ARCHIVE_WARN {
            throw StackError(.system, "tar: entry '\(name)': \(ArchiveError.message(archive))")
        }
        if !data.isEmpty {
            let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            if written != data.count {
                throw StackError(.system, "tar: entry '\(name)': \(ArchiveError.message(archive))")
            }
        }
    }

    /// Add a regular file whose content is read from `source` (streamed).
    public func addFile(_ name: String, contentsOf source: String, mode: UInt32 = 0o644) throws(StackError) {
        guard let size = POSIXFile.size(source) else {
            throw StackError(.system, "stat \(source)", cause: Errno.current)
        }
        guard let entry = archive_entry_new() else { throw StackError(.system, "archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_perm(entry, mode)
        archive_entry_set_size(entry, la_int64_t(size))
        archive_entry_set_mtime(entry, time(nil), 0)
        if archive_write_header(archive, entry) < ARCHIVE_WARN {
            throw StackError(.system, "tar: entry '\(name)': \(ArchiveError.message(archive))")
        }
        let fd = try POSIXFile.open(source, O_RDONLY)
        defer { Glibc.close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        var remaining = size
        while remaining > 0 {
            let n = try POSIXFile.read(fd, into: &chunk, what: source)
            if n == 0 { break }
            let written = chunk.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, n) }
            if written != n { throw StackError(.system, "tar: entry '\(name)': \(ArchiveError.message(archive))") }
            remaining -= Int64(n)
        }
        if remaining != 0 { throw StackError(.system, "tar: \(source) changed size while being archived") }
    }

    /// Write the end of the archive and flush.
    public func finish() throws(StackError) {
        guard !finished else { return }
        finished = true
        if archive_write_close(archive) != ARCHIVE_OK {
            throw StackError(.system, "tar: close: \(ArchiveError.message(archive))")
        }
        if ownedFD >= 0 {
            Glibc.close(ownedFD)
            ownedFD = -1
        }
    }
}
