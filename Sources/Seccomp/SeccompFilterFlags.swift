import CSeccompHelpers
import StackCore

/// The `SECCOMP_FILTER_FLAG_*` bits passed to `seccomp(2)` when the filter is loaded.
///
/// They are not part of the BPF program: `BPFProgram` carries them to the container's init.
public struct SeccompFilterFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Apply the filter to every thread of the process.
    public static let tsync = SeccompFilterFlags(rawValue: STK_SECCOMP_FLAG_TSYNC)
    /// Log every action except `SCMP_ACT_ALLOW`.
    public static let log = SeccompFilterFlags(rawValue: STK_SECCOMP_FLAG_LOG)
    /// Do not enable the speculative store bypass mitigation.
    public static let specAllow = SeccompFilterFlags(rawValue: STK_SECCOMP_FLAG_SPEC_ALLOW)
    /// Return a notification listener fd (needs `SCMP_ACT_NOTIFY`; not produced by the compiler).
    public static let newListener = SeccompFilterFlags(rawValue: STK_SECCOMP_FLAG_NEW_LISTENER)
    /// Notification waits can only be interrupted by fatal signals (meaningful only with a listener).
    public static let waitKillableRecv = SeccompFilterFlags(rawValue: STK_SECCOMP_FLAG_WAIT_KILLABLE_RECV)

    /// The OCI flag names this runtime accepts, with their bits.
    public static let byName: [(name: String, flag: SeccompFilterFlags)] = [
        ("SECCOMP_FILTER_FLAG_TSYNC", .tsync),
        ("SECCOMP_FILTER_FLAG_LOG", .log),
        ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", .specAllow),
        ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", .waitKillableRecv),
    ]

    /// Parses OCI flag names; an unknown name is an error naming it.
    public init(names: [String], path: String? = nil) throws(StackError) {
        var flags: SeccompFilterFlags = []
        for name in names {
            guard let entry = Self.byName.first(where: { $0.name == name }) else {
                throw StackError(.invalidArgument, "unknown seccomp flag \"\(name)\"", path: path)
            }
            flags.insert(entry.flag)
        }
        self = flags
    }
}
