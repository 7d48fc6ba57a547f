/// Resource limits (`RLIMIT_*`) with their numbers on Linux x86_64 and arm64 (asm-generic/resource.h).
public enum RlimitType: Int32, Sendable, Hashable, CaseIterable {
    case cpu = 0
    case fsize = 1
    case data = 2
    case stack = 3
    case core = 4
    case rss = 5
    case nproc = 6
    case nofile = 7
    case memlock = 8
    case `as` = 9
    case locks = 10
    case sigpending = 11
    case msgqueue = 12
    case nice = 13
    case rtprio = 14
    case rttime = 15

    /// The `RLIMIT_*` name used in config.json.
    public var name: String { Self.names[Int(rawValue)] }

    /// The limit named `name` (`RLIMIT_NOFILE`), matched exactly.
    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name), let type = RlimitType(rawValue: Int32(index)) else {
            return nil
        }
        self = type
    }

    /// RLIM_INFINITY as it appears in config.json.
    public static let infinity = UInt64.max

    private static let names = [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ]
}
