import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// posix_spawn of a helper that detaches itself (stack-monitor, stack-proxy): the child gets the
/// signals a daemon's threads block or ignore back at their defaults and an empty mask, `stdio`
/// on fds 0–2 (nil: /dev/null), and `extra` fds at fixed numbers; every other fd is close-on-exec.
public enum DaemonSpawn {
    public static func spawn(
        _ binary: String, arguments: [String], stdio: [Int32?] = [nil, nil, nil], extra: [(from: Int32, to: Int32)] = []
    ) throws(StackError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        for target: Int32 in 0...2 {
            if let fd = stdio.count > Int(target) ? stdio[Int(target)] : nil {
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        for (from, to) in extra { posix_spawn_file_actions_adddup2(&actions, from, to) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, &argv, environ)
        guard result == 0 else { throw StackError.system("posix_spawn \(binary)", Errno(result)) }
        return pid
    }
}
