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

    public init(_ entries: [String: PathKind] = [:]) {
        self.entries = entries
    }

    public func kind(_ path: String) -> PathKind? { entries[path] }
    public func linkKind(_ path: String) -> PathKind? { entries[path] }
}
