import CRuntime
import LinuxOS
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs OCI hooks with `posix_spawn`: the state JSON on stdin, the hook's env, its timeout.
public enum HookRunner {
    /// Run `hooks` of the named kind in order; the first failure throws, naming the hook.
    public static func run(_ hooks: [Spec.Hook], kind: String, state: String) throws(StackError) {
        for (index, hook) in hooks.enumerated() {
            do {
                try runOne(hook, state: state)
            } catch {
                throw StackError(.system, "\(kind) hook #\(index) (\(hook.path)): \(error.message)", cause: error.cause)
            }
        }
    }

    /// Run `hooks` in order; failures are returned as warnings and do not stop the rest.
    public static func runIgnoringFailures(_ hooks: [Spec.Hook], kind: String, state: String) -> [String] {
        var warnings: [String] = []
        for (index, hook) in hooks.enumerated() {
            do {
                try runOne(hook, state: state)
            } catch {
                warnings.append("\(kind) hook #\(index) (\(hook.path)): \(error.message)")
            }
        }
        return warnings
    }

    /// One hook: spawn, feed stdin, wait (killing it after `timeout` seconds).
    public static func runOne(_ hook: Spec.Hook, state: String) throws(StackError) {
        var pipeFDs: [Int32] = [-1, -1]
        _ = try rawSyscall("pipe2") { pipeFDs.withUnsafeMutableBufferPointer { cr_sys_pipe2($0.baseAddress, O_CLOEXEC) } }
        let readEnd = pipeFDs[0]
        let writeEnd = pipeFDs[1]
        var readClosed = false
        var writeClosed = false
        defer {
            if !readClosed { close(readEnd) }
            if !writeClosed { close(writeEnd) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)

        let argv = (hook.args?.isEmpty == false ? hook.args ?? [] : [hook.path]).map { strdup($0) } + [nil]
        let envp = (hook.env ?? []).map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, hook.path, &actions, nil, argv, envp)
        if spawned != 0 { throw StackError.system("posix_spawn \(hook.path)", Errno(spawned)) }
        close(readEnd)
        readClosed = true

        // The hook may exit without reading; ignore EPIPE (the write does not raise SIGPIPE: see below).
        var bytes = Array(state.utf8)
        var offset = 0
        let previous = signal(SIGPIPE, SIG_IGN)
        while offset < bytes.count {
            let count = bytes.count - offset
            let written = bytes.withUnsafeMutableBytes { write(writeEnd, $0.baseAddress.map { $0 + offset }, count) }
            if written < 0 {
                if Errno.current == .EINTR { continue }
                break
            }
            offset += written
        }
        signal(SIGPIPE, previous)
        close(writeEnd)
        writeClosed = true

        let status = try wait(pid, timeout: hook.timeout)
        switch status {
        case .exited(0): return
        case .exited(let code): throw StackError(.system, "exit status \(code)")
        case .signaled(let signal): throw StackError(.system, "killed by signal \(signal)")
        default: throw StackError(.system, "ended with \(status)")
        }
    }

    private static func wait(_ pid: pid_t, timeout: Int?) throws(StackError) -> WaitStatus {
        let syscalls = LinuxSyscalls()
        guard let timeout, timeout > 0 else {
            while true {
                if let result = try syscalls.waitpid(pid, options: 0) { return result.status }
            }
        }
        var waitedMicroseconds = 0
        var pause: UInt32 = 200
        while true {
            if let result = try syscalls.waitpid(pid, options: WNOHANG) { return result.status }
            if waitedMicroseconds >= timeout * 1_000_000 {
                _ = kill(pid, SIGKILL)
                _ = try syscalls.waitpid(pid, options: 0)
                throw StackError(.system, "timed out after \(timeout)s")
            }
            usleep(pause)
            waitedMicroseconds += Int(pause)
            pause = min(pause * 2, 20_000)
        }
    }
}
