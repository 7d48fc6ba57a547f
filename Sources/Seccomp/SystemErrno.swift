#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Renders errno values the way runtime errors name them: `EINVAL (Invalid argument)`.
enum SystemErrno {
    /// The symbolic name of `code`, or `errno N` for codes without one here.
    static func name(_ code: Int32) -> String {
        names[code] ?? "errno \(code)"
    }

    /// `EINVAL (Invalid argument)`.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return name(code) }
        return "\(name(code)) (\(String(cString: text)))"
    }

    private static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC",
        9: "EBADF", 10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK",
        16: "EBUSY", 17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL",
        23: "ENFILE", 24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE",
        30: "EROFS", 31: "EMLINK", 32: "EPIPE", 33: "EDOM", 34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG",
        37: "ENOLCK", 38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP", 61: "ENODATA", 71: "EPROTO",
        75: "EOVERFLOW", 95: "EOPNOTSUPP", 110: "ETIMEDOUT", 125: "ECANCELED",
    ]
}
