import LinuxOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// One entry of a cgroup directory listing.
public struct CgroupDirEntry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// The file operations the cgroup managers need, so they can run against the real cgroupfs
/// (`LocalCgroupFileSystem`) or a directory tree made by a test (`FakeCgroupFileSystem`).
///
/// Paths are absolute (`/sys/fs/cgroup/memory/stack/x/memory.limit_in_bytes`). Failures throw a
/// `StackError` with code `.system`, a message naming the operation and path, and a `CgroupErrno`
/// cause, so `description` reads `write /sys/fs/cgroup/…/memory.limit_in_bytes: EBUSY (Device or resource busy)`.
public protocol CgroupFileSystem: Sendable {
    /// The whole content of a file.
    func read(_ path: String) throws(StackError) -> String
    /// Writes `value` to a file in one `write(2)` call (cgroup files need that), creating it if needed.
    func write(_ path: String, _ value: String) throws(StackError)
    /// Creates one directory; an existing directory is not an error.
    func mkdir(_ path: String) throws(StackError)
    /// Removes one (cgroup) directory.
    func rmdir(_ path: String) throws(StackError)
    /// The entries of a directory, without `.` and `..`.
    func list(_ path: String) throws(StackError) -> [CgroupDirEntry]
    /// Whether a file or directory exists at `path`.
    func exists(_ path: String) -> Bool
}

extension CgroupFileSystem {
    /// Creates `path` and any missing parents.
    /// The directory itself is tried first: usually only the last one or two are missing, and a
    /// walk from the root would stat every parent.
    public func mkdirAll(_ path: String) throws(StackError) {
        do {
            try mkdir(path)
        } catch let error where error.cgroupErrno == ENOENT {
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { throw error }
            try mkdirAll(String(path[..<slash]))
            try mkdir(path)
        }
    }

    /// The content of a file with surrounding whitespace (the trailing newline) removed.
    public func readTrimmed(_ path: String) throws(StackError) -> String {
        CgroupText.trimmed(try read(path))
    }
}

/// An errno value with its symbolic name, the `cause` of file-system errors.
public struct CgroupErrno: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The symbolic name, e.g. `EBUSY`, or `errno 123` for codes without a known name.
    public var name: String { Errno(code).name ?? "errno \(code)" }

    /// `EBUSY (Device or resource busy)`.
    public var description: String { Errno(code).description }
}

extension StackError {
    /// The errno of a failed file-system call, when this error wraps one.
    public var cgroupErrno: Int32? { (cause as? CgroupErrno)?.code }

    /// A `.system` error for `operation path` failing with `errno`.
    static func cgroupSystem(_ operation: String, _ path: String, errno code: Int32) -> StackError {
        StackError(.system, "\(operation) \(path)", cause: CgroupErrno(code))
    }
}

/// Small helpers for the text formats of cgroup files.
enum CgroupText {
    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        return String(slice)
    }

    /// Parses `key value` lines (memory.stat, cpu.stat, memory.events, cgroup.events).
    static func keyValues(_ text: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2, let value = UInt64(fields[1]) { result[String(fields[0])] = value }
        }
        return result
    }
}
