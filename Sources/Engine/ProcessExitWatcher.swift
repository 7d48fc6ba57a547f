import CRuntime
import LinuxOS
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells when processes that are not our children end: one dedicated thread waits with epoll on
/// a pidfd per watched process (a monitor survives stackd, so after a restart it is nobody's
/// child of ours). Blocking waits stay off Swift's cooperative pool.
public final class ProcessExitWatcher: Sendable {
    public typealias Handler = @Sendable () -> Void

    private struct Watches: ~Copyable {
        var handlers: [Int32: Handler] = [:]  // pidfd → handler
        var stopped = false
    }

    /// A pipe whose read end wakes the poll loop when the set of pidfds changes.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let watches = Mutex(Watches())

    /// Start the watching thread.
    public init() throws(StackError) {
        var fds: [Int32] = [-1, -1]
        let made = fds.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return -1 }
            return cr_sys_pipe2(base, O_CLOEXEC | O_NONBLOCK)
        }
        guard made == 0 else { throw StackError.system("pipe2 (exit watcher)", Errno(Int32(-made))) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        guard BlockingThread.run({ [self] in self.loop() }) else {
            close(wakeRead)
            close(wakeWrite)
            throw StackError(.system, "cannot start the exit watcher's thread")
        }
    }

    /// Call `handler` (on the watcher's thread) once process `pid` has ended — at once when it has
    /// already ended or does not exist. Returns false when `pid` was already gone.
    @discardableResult
    public func watch(pid: Int32, handler: @escaping Handler) -> Bool {
        let pidfd = Int32(truncatingIfNeeded: cr_sys_pidfd_open(pid, 0))
        guard pidfd >= 0 else {
            handler()
            return false
        }
        _ = fcntl(pidfd, F_SETFD, FD_CLOEXEC)
        watches.withLock { $0.handlers[pidfd] = handler }
        wake()
        return true
    }

    /// Stop the thread; handlers of processes still running are not called.
    public func stop() {
        watches.withLock { $0.stopped = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func loop() {
        var drain = [UInt8](repeating: 0, count: 64)
        while true {
            let (stopped, pidfds) = watches.withLock { ($0.stopped, Array($0.handlers.keys)) }
            if stopped { break }
            var polled = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            polled += pidfds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let count = polled.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), -1) }
            if count < 0 {
                if Errno.current == .EINTR { continue }
                return
            }
            if polled[0].revents != 0 {
                _ = drain.withUnsafeMutableBytes { read(wakeRead, $0.baseAddress, $0.count) }
            }
            for entry in polled.dropFirst() where entry.revents != 0 {
                let handler = watches.withLock { $0.handlers.removeValue(forKey: entry.fd) }
                close(entry.fd)
                handler?()
            }
        }
        let remaining = watches.withLock { state in
            defer { state.handlers = [:] }
            return Array(state.handlers.keys)
        }
        for fd in remaining { close(fd) }
        close(wakeRead)
        close(wakeWrite)
    }
}
