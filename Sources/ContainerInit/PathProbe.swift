import LinuxOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What is at a path, for deciding how to create a mount point.
public enum PathKind: Sendable, Hashable {
    case directory
    case file
    case symlink
    /// A device, FIFO or socket.
    case other
}

/// Read-only questions about the file system that container setup asks (the `Syscalls` protocol
/// covers the changes), so setup runs against a fake tree in unprivileged tests.
public protocol PathProbe: Sendable {
    /// What `path` is, following symlinks; nil when nothing is there.
    func kind(_ path: String) -> PathKind?
    /// What `path` itself is, not following a final symlink; nil when nothing is there.
    func linkKind(_ path: String) -> PathKind?
    /// The mount point of the mount `path` lives on (the longest mount point above it in
    /// /proc/self/mountinfo); nil when unknown.
    func mountPoint(of path: String) -> String?
}

/// `stat(2)`/`lstat(2)` on the real file system.
public struct LinuxPathProbe: PathProbe {
    public init() {}

    public func kind(_ path: String) -> PathKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Self.kind(mode: UInt32(info.st_mode))
    }

    public func linkKind(_ path: String) -> PathKind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.kind(mode: UInt32(info.st_mode))
    }

    public func mountPoint(of path: String) -> String? {
        guard let text = try? FileIO.read("/proc/self/mountinfo") else { return nil }
        return MountInfo.mountPoint(of: path, in: String(decoding: text, as: UTF8.self))
    }

    static func kind(mode: UInt32) -> PathKind {
        switch mode & 0o170000 {
        case 0o040000: return .directory
        case 0o100000: return .file
        case 0o120000: return .symlink
        default: return .other
        }
    }
}

/// A fixed tree of paths for tests: anything not listed does not exist. Symlinks are not followed.
public struct FakePathProbe: PathProbe {
    public var entries: [String: PathKind]
    /// Mount points, for `mountPoint(of:)` ("/" is always one).
    public var mountPoints: [String]

    public init(_ entries: [String: PathKind] = [:], mountPoints: [String] = []) {
        self.entries = entries
        self.mountPoints = mountPoints
    }

    public func kind(_ path: String) -> PathKind? { entries[path] }
    public func linkKind(_ path: String) -> PathKind? { entries[path] }
    public func mountPoint(of path: String) -> String? { MountInfo.longestPrefix(of: path, among: mountPoints + ["/"]) }
}

/// Reading /proc/self/mountinfo.
public enum MountInfo {
    /// The mount point (fifth field, octal escapes decoded) of each line.
    public static func mountPoints(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 4 ? unescape(fields[4]) : nil
        }
    }

    /// The mount `path` lives on, given mountinfo's text.
    public static func mountPoint(of path: String, in text: String) -> String? {
        longestPrefix(of: path, among: mountPoints(in: text))
    }

    /// The longest of `candidates` that is `path` or a directory above it.
    static func longestPrefix(of path: String, among candidates: [String]) -> String? {
        let cleaned = PathJoin.clean(path)
        return candidates.filter { candidate in
            candidate == "/" || cleaned == candidate || cleaned.hasPrefix(candidate + "/")
        }.max { $0.count < $1.count }
    }

    /// Undoes the kernel's octal escapes in a mountinfo field.
    static func unescape(_ field: Substring) -> String { MountInfoField.unescape(field) }
}
