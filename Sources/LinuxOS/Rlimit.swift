import CRuntime

/// A `setrlimit` resource. Numbers differ between architectures, so they come from the C headers.
public struct Rlimit: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's resource number.
    public var number: Int32
    /// The OCI / C name, e.g. `RLIMIT_NOFILE`.
    public var name: String

    /// Look up an OCI rlimit type such as `RLIMIT_NOFILE`.
    public init?(name: String) {
        guard let number = Rlimit.table.first(where: { $0.1 == name })?.0 else { return nil }
        self.number = number
        self.name = name
    }

    public var description: String { name }

    public static let nofile = Rlimit(known: Int32(CR_RLIMIT_NOFILE), "RLIMIT_NOFILE")
    public static let nproc = Rlimit(known: Int32(CR_RLIMIT_NPROC), "RLIMIT_NPROC")
    public static let core = Rlimit(known: Int32(CR_RLIMIT_CORE), "RLIMIT_CORE")

    private init(known number: Int32, _ name: String) {
        self.number = number
        self.name = name
    }

    static let table: [(Int32, String)] = ([
        (CR_RLIMIT_CPU, "RLIMIT_CPU"), (CR_RLIMIT_FSIZE, "RLIMIT_FSIZE"), (CR_RLIMIT_DATA, "RLIMIT_DATA"),
        (CR_RLIMIT_STACK, "RLIMIT_STACK"), (CR_RLIMIT_CORE, "RLIMIT_CORE"), (CR_RLIMIT_RSS, "RLIMIT_RSS"),
        (CR_RLIMIT_NPROC, "RLIMIT_NPROC"), (CR_RLIMIT_NOFILE, "RLIMIT_NOFILE"),
        (CR_RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"), (CR_RLIMIT_AS, "RLIMIT_AS"), (CR_RLIMIT_LOCKS, "RLIMIT_LOCKS"),
        (CR_RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"), (CR_RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"),
        (CR_RLIMIT_NICE, "RLIMIT_NICE"), (CR_RLIMIT_RTPRIO, "RLIMIT_RTPRIO"), (CR_RLIMIT_RTTIME, "RLIMIT_RTTIME"),
    ] as [(Int, String)]).map { (Int32(truncatingIfNeeded: $0.0), $0.1) }
}

/// `waitpid` status decoding through the C macros.
enum CWait {
    static func exited(_ status: Int32) -> Bool { cr_wifexited(status) != 0 }
    static func exitStatus(_ status: Int32) -> Int32 { cr_wexitstatus(status) }
    static func signaled(_ status: Int32) -> Bool { cr_wifsignaled(status) != 0 }
    static func termSignal(_ status: Int32) -> Int32 { cr_wtermsig(status) }
    static func stopped(_ status: Int32) -> Bool { cr_wifstopped(status) != 0 }
    static func stopSignal(_ status: Int32) -> Int32 { cr_wstopsig(status) }
}
