#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LinuxOS
import StackCore

/// The daemon's claim on its root: `flock(LOCK_EX|LOCK_NB)` on `$STACK_ROOT/stackd.lock`, held for
/// the life of the process (the kernel drops it when the process dies, however it dies). The file
/// holds the owner's pid, for the error the next daemon prints.
public final class DaemonLock: Sendable {
    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Take the lock of `paths.root`, or throw `another stackd (pid N) is running on ROOT`.
    public static func acquire(_ paths: DaemonPaths, pid: pid_t = getpid()) throws(StackError) -> DaemonLock {
        let path = paths.lockFile
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StackError.system("open \(path)", Errno.current) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = Errno.current
            let owner = readOwner(fd)
            close(fd)
            if error == .EAGAIN {
                throw StackError(.system, "another stackd (pid \(owner.map(String.init) ?? "unknown")) is running on \(paths.root)")
            }
            throw StackError.system("flock \(path)", error)
        }
        let text = Array("\(pid)\n".utf8)
        if ftruncate(fd, 0) != 0 || pwrite(fd, text, text.count, 0) != text.count {
            let error = Errno.current
            close(fd)
            throw StackError.system("write \(path)", error)
        }
        return DaemonLock(path: path, fd: fd)
    }

    /// Give the lock up (the process exiting does the same).
    public func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func readOwner(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmed)
    }
}

/// `$STACK_RUN/stackd.pid`: written atomically at start, removed at a clean shutdown.
public enum PidFile {
    public static func write(_ path: String, pid: pid_t = getpid()) throws(StackError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StackError.system("open \(temporary)", Errno.current) }
        let text = Array("\(pid)\n".utf8)
        let written = Glibc.write(fd, text, text.count)
        close(fd)
        guard written == text.count else { throw StackError.system("write \(temporary)", Errno.current) }
        if rename(temporary, path) != 0 { throw StackError.system("rename \(temporary)", Errno.current) }
    }

    public static func read(_ path: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return pid_t(text.trimmed)
    }

    public static func remove(_ path: String) {
        unlink(path)
    }
}
