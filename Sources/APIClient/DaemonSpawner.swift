#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Starting `stackd` detached with posix_spawn: a new session, stdin from /dev/null, stdout and
/// stderr appended to the log, no other descriptors, default signal mask and dispositions.
enum DaemonSpawner {
    static func spawn(_ autostart: DaemonConnector.Autostart) throws -> pid_t {
        if mkdir(autostart.run, 0o700) != 0 && errno != EEXIST {
            throw APIClientError.daemonUnavailable("cannot create \(autostart.run): \(String(cString: strerror(errno)))")
        }
        guard access(autostart.executable, X_OK) == 0 else {
            throw APIClientError.daemonUnavailable("cannot start stackd: \(autostart.executable): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, autostart.logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeFrom(3, in: &actions)

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes, Int16(spawnSetsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let arguments = [autostart.executable, "--root", autostart.root, "--run", autostart.run] + autostart.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, autostart.executable, &actions, &attributes, &argv, environ)
        guard status == 0 else {
            throw APIClientError.daemonUnavailable("cannot start \(autostart.executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension Swift's Glibc module does not import).
    static let spawnSetsid: CInt = 0x80

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34), looked up at run time since Swift's
    /// Glibc module does not import GNU extensions; descriptors the CLI inherited stay out of the daemon.
    private static func closeFrom(_ fd: CInt, in actions: inout posix_spawn_file_actions_t) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        let function = unsafeBitCast(symbol, to: CloseFrom.self)
        _ = function(&actions, fd)
    }

    /// The child's exit, if it has exited (so it does not linger as a zombie).
    static func reap(_ pid: pid_t) -> String? {
        var status: CInt = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        if status & 0x7f == 0 { return "exit status \((status >> 8) & 0xff)" }
        return "signal \(status & 0x7f)"
    }

    /// The last lines of the log, for error messages.
    static func tail(of path: String, lines: Int = 10) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        let text = String(decoding: data.suffix(4096), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    static func logExcerpt(_ path: String) -> String {
        let tail = tail(of: path)
        return tail.isEmpty ? "" : "; the end of \(path):\n\(tail)"
    }
}
