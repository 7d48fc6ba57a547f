import CRuntime
import StackCore

/// Run a libc-style call (`-1` and `errno` on failure): read `errno` in the same breath, retry
/// `EINTR`, and throw `StackError(.system, step, cause: Errno)`, which renders as
/// `pivot_root: EINVAL (Invalid argument)`.
@inline(never)
public func syscall<T: BinaryInteger>(
    _ step: @autoclosure () -> String, _ body: () -> T
) throws(StackError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = cr_get_errno()
        if error == Errno.EINTR.rawValue { continue }
        throw StackError.system(step(), Errno(error))
    }
}

/// Run a call that returns `-errno` on failure (the `cr_sys_*` wrappers), retrying `EINTR`.
@inline(never)
public func rawSyscall<T: BinaryInteger>(
    _ step: @autoclosure () -> String, _ body: () -> T
) throws(StackError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let error = Int32(truncatingIfNeeded: 0 - Int64(result))
        if error == Errno.EINTR.rawValue { continue }
        throw StackError.system(step(), Errno(error))
    }
}

extension StackError {
    /// A failed system call: `step: ENAME (message)`.
    public static func system(_ step: String, _ errno: Errno) -> StackError {
        StackError(.system, step, cause: errno)
    }

    /// The errno behind a system-call failure, if this is one.
    public var errno: Errno? { cause as? Errno }
}
