import CArchive
import CVolumes
import Foundation
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under the system temp dir, removed (with everything in it) when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/volumes-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Small file helpers for building and checking trees; each throws naming the call.
enum Files {
    static func check(_ rc: Int32, _ what: String) throws {
        if rc != 0 { throw TestFailure("\(what): errno \(errno)") }
    }

    static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try check(chmod(path, mode), "chmod \(path)")
    }

    static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    static func mkdir(_ path: String, mode: mode_t = 0o755) throws {
        try check(Glibc.mkdir(path, mode), "mkdir \(path)")
        try check(chmod(path, mode), "chmod \(path)")  // umask-free
    }

    static func symlink(_ target: String, _ path: String) throws {
        try check(Glibc.symlink(target, path), "symlink \(path)")
    }

    static func lstat(_ path: String) throws -> stat {
        var info = stat()
        try check(Glibc.lstat(path, &info), "lstat \(path)")
        return info
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return Glibc.lstat(path, &info) == 0
    }

    static func readLink(_ path: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// Sets atime and mtime (seconds, nanoseconds) without following a symlink.
    static func setTimes(_ path: String, seconds: Int, nanoseconds: Int = 0) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        try check(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW), "utimensat \(path)")
    }

    /// Sets an xattr; false when the file system does not support it.
    static func setXattr(_ path: String, _ name: String, _ value: String) throws -> Bool {
        let bytes = Array(value.utf8)
        let rc = bytes.withUnsafeBytes { cv_lsetxattr(path, name, $0.baseAddress, $0.count) }
        if rc == 0 { return true }
        let error = cv_errno()
        if error == EOPNOTSUPP || error == EPERM { return false }
        throw TestFailure("lsetxattr \(path) \(name): errno \(error)")
    }

    /// The xattr's value, or nil when absent.
    static func xattr(_ path: String, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.count
        let n = buffer.withUnsafeMutableBytes { cv_lgetxattr(path, name, $0.baseAddress, count) }
        return n < 0 ? nil : String(decoding: buffer.prefix(n), as: UTF8.self)
    }
}

/// Writes tar files entry by entry with libarchive, hostile names included (nothing is checked).
final class RawTar {
    enum Kind {
        case file(String)
        case directory
        case symlink(String)
        case hardLink(String)
    }

    private let archive: OpaquePointer
    private let fd: Int32

    init(path: String) throws {
        guard let archive = archive_write_new() else { throw TestFailure("archive_write_new") }
        self.archive = archive
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        archive_write_set_format_pax_restricted(archive)
        guard fd >= 0, archive_write_open_fd(archive, fd) == ARCHIVE_OK else { throw TestFailure("open \(path)") }
    }

    deinit {
        archive_write_free(archive)
        close(fd)
    }

    func add(_ name: String, _ kind: Kind, mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0) throws {
        guard let entry = archive_entry_new() else { throw TestFailure("archive_entry_new") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_uid(entry, uid)
        archive_entry_set_gid(entry, gid)
        archive_entry_set_mtime(entry, 1_600_000_000, 0)
        archive_entry_set_perm(entry, mode)
        var data: [UInt8] = []
        switch kind {
        case .file(let text):
            data = Array(text.utf8)
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_size(entry, la_int64_t(data.count))
        case .directory:
            archive_entry_set_filetype(entry, 0o040000)
        case .symlink(let target):
            archive_entry_set_filetype(entry, 0o120000)
            archive_entry_set_symlink(entry, target)
        case .hardLink(let target):
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_hardlink(entry, target)
            archive_entry_set_size(entry, 0)
        }
        guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw TestFailure("header \(name)") }
        if !data.isEmpty {
            _ = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        }
    }

    func finish() throws {
        guard archive_write_close(archive) == ARCHIVE_OK else { throw TestFailure("close") }
    }
}

/// Reads the entry names of a tar file (for checking what `pack` wrote).
func tarEntryNames(_ path: String) throws -> [String] {
    guard let reader = archive_read_new() else { throw TestFailure("archive_read_new") }
    defer { archive_read_free(reader) }
    archive_read_support_format_tar(reader)
    guard archive_read_open_filename(reader, path, 16384) == ARCHIVE_OK else { throw TestFailure("open \(path)") }
    var names: [String] = []
    var entry: OpaquePointer?
    while archive_read_next_header(reader, &entry) == ARCHIVE_OK, let entry {
        names.append(archive_entry_pathname(entry).map { String(cString: $0) } ?? "")
    }
    return names
}
