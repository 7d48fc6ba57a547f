import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs one closure on a new pthread of its own and waits for it to end. Network-namespace
/// changes (`unshare(CLONE_NEWNET)`, `setns`) affect only the calling thread, so they are made on
/// a thread that ends right after the work: no pool thread, Swift task or caller is ever left in
/// another namespace.
enum DedicatedThread {
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    static func run<T>(_ body: () throws(StackError) -> T) throws(StackError) -> T {
        var outcome: Result<T, StackError>?
        let started: Int32 = withoutActuallyEscaping(body) { body in
            let job = Job {
                do throws(StackError) {
                    outcome = .success(try body())
                } catch {
                    outcome = .failure(error)
                }
            }
            let unmanaged = Unmanaged.passRetained(job)
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeUnretainedValue().work()
                return nil
            }, unmanaged.toOpaque())
            if status == 0 { pthread_join(thread, nil) }
            unmanaged.release()
            return status
        }
        guard started == 0 else {
            throw StackError(.system, "pthread_create", cause: Errno(started))
        }
        guard let outcome else { throw StackError(.internalError, "dedicated thread ended without a result") }
        return try outcome.get()
    }
}
