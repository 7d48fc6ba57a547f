import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A joinable pthread for a server loop (not one of Swift's cooperative threads: the loops block in
/// recvmmsg/accept/poll).
struct ServiceThread: Sendable {
    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    let thread: pthread_t

    /// Starts `body` on a new thread; `detached` threads cannot be joined.
    static func start(detached: Bool = false, _ body: @escaping @Sendable () -> Void) throws(StackError) -> ServiceThread {
        let box = Unmanaged.passRetained(Box(body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            throw StackError(.system, "DNS: cannot start a thread", cause: Errno(result))
        }
        return ServiceThread(thread: thread)
    }

    func join() {
        pthread_join(thread, nil)
    }
}
