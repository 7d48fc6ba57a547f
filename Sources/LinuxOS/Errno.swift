import CRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A C `errno` value, rendered as `EINVAL (Invalid argument)`.
public struct Errno: Error, Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`. Read it right after the failing call.
    public static var current: Errno { Errno(cr_get_errno()) }

    /// The symbolic name, e.g. `ENOENT`, when known.
    public var name: String? { Errno.names[rawValue] }

    /// The C library's message, e.g. `No such file or directory`.
    public var message: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = buffer.count
        buffer.withUnsafeMutableBufferPointer { cr_strerror(rawValue, $0.baseAddress, count) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `ENOENT (No such file or directory)`; `errno 4242 (Unknown error 4242)` for unnamed values.
    public var description: String {
        "\(name ?? "errno \(rawValue)") (\(message))"
    }

    public static let EPERM = Errno(errnoValue("EPERM"))
    public static let ENOENT = Errno(errnoValue("ENOENT"))
    public static let ESRCH = Errno(errnoValue("ESRCH"))
    public static let EINTR = Errno(errnoValue("EINTR"))
    public static let EIO = Errno(errnoValue("EIO"))
    public static let EBADF = Errno(errnoValue("EBADF"))
    public static let ECHILD = Errno(errnoValue("ECHILD"))
    public static let EAGAIN = Errno(errnoValue("EAGAIN"))
    public static let ENOMEM = Errno(errnoValue("ENOMEM"))
    public static let EACCES = Errno(errnoValue("EACCES"))
    public static let EBUSY = Errno(errnoValue("EBUSY"))
    public static let EEXIST = Errno(errnoValue("EEXIST"))
    public static let ENOTDIR = Errno(errnoValue("ENOTDIR"))
    public static let EISDIR = Errno(errnoValue("EISDIR"))
    public static let EINVAL = Errno(errnoValue("EINVAL"))
    public static let ENOSPC = Errno(errnoValue("ENOSPC"))
    public static let EROFS = Errno(errnoValue("EROFS"))
    public static let EPIPE = Errno(errnoValue("EPIPE"))
    public static let ENOSYS = Errno(errnoValue("ENOSYS"))
    public static let ENOTEMPTY = Errno(errnoValue("ENOTEMPTY"))
    public static let ELOOP = Errno(errnoValue("ELOOP"))
    public static let EOPNOTSUPP = Errno(errnoValue("EOPNOTSUPP"))

    /// Names by value, from the platform's constants (values differ between architectures).
    /// Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are left out: the first name wins.
    static let names: [Int32: String] = Dictionary(errnoPairs, uniquingKeysWith: { first, _ in first })
}

/// Platform errno values with their names (file scope, where the C constants are not shadowed).
private let errnoPairs: [(Int32, String)] = [
    (EPERM, "EPERM"), (ENOENT, "ENOENT"), (ESRCH, "ESRCH"), (EINTR, "EINTR"),
    (EIO, "EIO"), (ENXIO, "ENXIO"), (E2BIG, "E2BIG"), (ENOEXEC, "ENOEXEC"),
    (EBADF, "EBADF"), (ECHILD, "ECHILD"), (EAGAIN, "EAGAIN"), (ENOMEM, "ENOMEM"),
    (EACCES, "EACCES"), (EFAULT, "EFAULT"), (ENOTBLK, "ENOTBLK"), (EBUSY, "EBUSY"),
    (EEXIST, "EEXIST"), (EXDEV, "EXDEV"), (ENODEV, "ENODEV"), (ENOTDIR, "ENOTDIR"),
    (EISDIR, "EISDIR"), (EINVAL, "EINVAL"), (ENFILE, "ENFILE"), (EMFILE, "EMFILE"),
    (ENOTTY, "ENOTTY"), (ETXTBSY, "ETXTBSY"), (EFBIG, "EFBIG"), (ENOSPC, "ENOSPC"),
    (ESPIPE, "ESPIPE"), (EROFS, "EROFS"), (EMLINK, "EMLINK"), (EPIPE, "EPIPE"),
    (EDOM, "EDOM"), (ERANGE, "ERANGE"), (EDEADLK, "EDEADLK"),
    (ENAMETOOLONG, "ENAMETOOLONG"), (ENOLCK, "ENOLCK"), (ENOSYS, "ENOSYS"),
    (ENOTEMPTY, "ENOTEMPTY"), (ELOOP, "ELOOP"), (ENOMSG, "ENOMSG"), (EIDRM, "EIDRM"),
    (ENOSTR, "ENOSTR"), (ENODATA, "ENODATA"), (ETIME, "ETIME"), (ENOSR, "ENOSR"),
    (EREMOTE, "EREMOTE"), (ENOLINK, "ENOLINK"), (EPROTO, "EPROTO"),
    (EBADMSG, "EBADMSG"), (EOVERFLOW, "EOVERFLOW"), (EILSEQ, "EILSEQ"),
    (EUSERS, "EUSERS"), (ENOTSOCK, "ENOTSOCK"), (EDESTADDRREQ, "EDESTADDRREQ"),
    (EMSGSIZE, "EMSGSIZE"), (EPROTOTYPE, "EPROTOTYPE"), (ENOPROTOOPT, "ENOPROTOOPT"),
    (EPROTONOSUPPORT, "EPROTONOSUPPORT"), (ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"),
    (EOPNOTSUPP, "EOPNOTSUPP"), (EPFNOSUPPORT, "EPFNOSUPPORT"),
    (EAFNOSUPPORT, "EAFNOSUPPORT"), (EADDRINUSE, "EADDRINUSE"),
    (EADDRNOTAVAIL, "EADDRNOTAVAIL"), (ENETDOWN, "ENETDOWN"), (ENETUNREACH, "ENETUNREACH"),
    (ENETRESET, "ENETRESET"), (ECONNABORTED, "ECONNABORTED"), (ECONNRESET, "ECONNRESET"),
    (ENOBUFS, "ENOBUFS"), (EISCONN, "EISCONN"), (ENOTCONN, "ENOTCONN"),
    (ESHUTDOWN, "ESHUTDOWN"), (ETOOMANYREFS, "ETOOMANYREFS"), (ETIMEDOUT, "ETIMEDOUT"),
    (ECONNREFUSED, "ECONNREFUSED"), (EHOSTDOWN, "EHOSTDOWN"),
    (EHOSTUNREACH, "EHOSTUNREACH"), (EALREADY, "EALREADY"), (EINPROGRESS, "EINPROGRESS"),
    (ESTALE, "ESTALE"), (EDQUOT, "EDQUOT"), (ECANCELED, "ECANCELED"),
    (EOWNERDEAD, "EOWNERDEAD"), (ENOTRECOVERABLE, "ENOTRECOVERABLE"),
    (ENOMEDIUM, "ENOMEDIUM"), (EMEDIUMTYPE, "EMEDIUMTYPE"), (ENOKEY, "ENOKEY"),
    (EKEYEXPIRED, "EKEYEXPIRED"), (EKEYREVOKED, "EKEYREVOKED"),
    (EKEYREJECTED, "EKEYREJECTED"), (ERFKILL, "ERFKILL"), (EHWPOISON, "EHWPOISON"),
]

private let errnoValues: [String: Int32] = Dictionary(
    errnoPairs.map { ($0.1, $0.0) }, uniquingKeysWith: { first, _ in first })

private func errnoValue(_ name: String) -> Int32 { errnoValues[name] ?? -1 }
