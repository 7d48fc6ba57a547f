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

    private let epollFD: Int32
    private let wakeFD: Int32
    private let watches = Mutex(Watches())

    /// Start the watching thread.
    public init() throws(StackError) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw StackError.system("epoll_create1", Errno.current) }
        let wake = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wake >= 0 else {
            let error = Errno.current
            close(epoll)
            throw StackError.system("eventfd", error)
        }
        epollFD = epoll
        wakeFD = wake
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wake
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event)
        let thread = WatcherThread(watcher: self)
        try thread.start()
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
        watches.withLock { $0.handlers[pidfd] = handler }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = pidfd
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, pidfd, &event) != 0 {
            _ = watches.withLock { $0.handlers.removeValue(forKey: pidfd) }
            close(pidfd)
            handler()
            return false
        }
        return true
    }

    /// Stop the thread; handlers of processes still running are not called.
    public func stop() {
        watches.withLock { $0.stopped = true }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    fileprivate func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 32)
        while true {
            let count = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, 32, -1) }
            if count < 0 {
                if Errno.current == .EINTR { continue }
                return
            }
            if watches.withLock({ $0.stopped }) { break }
            for index in 0..<Int(count) {
                let fd = events[index].data.fd
                if fd == wakeFD { continue }
                _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
                let handler = watches.withLock { $0.handlers.removeValue(forKey: fd) }
                close(fd)
                handler?()
            }
        }
        let remaining = watches.withLock { state in
            defer { state.handlers = [:] }
            return Array(state.handlers.keys)
        }
        for fd in remaining { close(fd) }
        close(wakeFD)
        close(epollFD)
    }
}

/// The pthread that runs `ProcessExitWatcher.loop`.
private final class WatcherThread: Sendable {
    let watcher: ProcessExitWatcher

    init(watcher: ProcessExitWatcher) { self.watcher = watcher }

    func start() throws(StackError) {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self)
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let me = Unmanaged<WatcherThread>.fromOpaque(raw).takeRetainedValue()
            me.watcher.loop()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw StackError.system("pthread_create (exit watcher)", Errno(result))
        }
        pthread_detach(thread)
    }
}
