import CRuntime
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A child from `Spawner.spawn`, waiting for `release()`.
///
/// Dropping it unreleased kills and reaps the child. The pidfd, if any, belongs to this object
/// and is closed with it (dup it to keep it).
public final class SpawnedProcess: Sendable {
    /// The child's pid in our pid namespace.
    public let pid: Int32
    /// A pidfd for the child, when requested and supported.
    public let pidfd: Int32?
    /// The child started in the requested cgroup through CLONE_INTO_CGROUP (else via cgroup.procs).
    public let startedIntoCgroup: Bool
    /// clone3 was used (else the legacy clone).
    public let usedClone3: Bool
    /// An intermediate process joined namespaces and cloned the child.
    public let twoStage: Bool

    private let handle: Mutex<cr_spawn_result>

    init(_ result: cr_spawn_result) {
        pid = result.pid
        pidfd = result.pidfd >= 0 ? result.pidfd : nil
        startedIntoCgroup = result.into_cgroup != 0
        usedClone3 = result.used_clone3 != 0
        twoStage = result.two_stage != 0
        handle = Mutex(result)
    }

    /// Whether `release()` or `abort()` already ran.
    public var isSettled: Bool { handle.withLock { $0.error_fd < 0 } }

    /// Let the child go without waiting for its exec: the caller works on meanwhile (the child
    /// joins its cgroups and execs in parallel), then calls `release()`, which then only waits.
    /// An error here means the go byte could not be sent; a child that failed before it is
    /// reported by `release()`.
    public func go() throws(StackError) {
        let failure: cr_error? = handle.withLock { result in
            guard result.sync_fd >= 0 else { return nil }
            return cr_spawn_go(&result) == 0 ? nil : result.error
        }
        if let failure {
            throw StackError.system(String(cString: cr_step_name(failure.step)), Errno(failure.err))
        }
    }

    /// Let the child go and wait until it has exec'd. When the child reports a failure, it has
    /// exited with status 127; it is reaped here and the error names the step, e.g.
    /// `execve: ENOENT (No such file or directory)`.
    public func release() throws(StackError) {
        enum Outcome { case execed, alreadySettled, failed(cr_error) }
        let outcome: Outcome = handle.withLock { result in
            guard result.error_fd >= 0 else { return .alreadySettled }
            return cr_spawn_release(&result) == 0 ? .execed : .failed(result.error)
        }
        switch outcome {
        case .execed:
            return
        case .alreadySettled:
            throw StackError(.internalError, "spawn: child \(pid) was already released or aborted")
        case .failed(let failure):
            var status: Int32 = 0
            while Glibc.waitpid(pid, &status, 0) < 0 && Errno.current == .EINTR {}
            throw StackError.system(String(cString: cr_step_name(failure.step)), Errno(failure.err))
        }
    }

    /// Kill the waiting child with SIGKILL and reap it (for when the parent's part failed).
    /// Does nothing once released.
    public func abort() {
        handle.withLock { result in
            if result.error_fd >= 0 { cr_spawn_abort(&result) }
        }
    }

    deinit {
        handle.withLock { result in
            if result.error_fd >= 0 {
                cr_spawn_abort(&result)
            } else if result.pidfd >= 0 {
                Glibc.close(result.pidfd)
                result.pidfd = -1
            }
        }
    }
}
