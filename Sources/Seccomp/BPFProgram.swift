import StackCore

/// A compiled seccomp filter: the bytes of a `struct sock_filter` array, ready for `seccomp(2)`,
/// plus the flags to load it with.
public struct BPFProgram: Sendable, Hashable {
    /// Size of one `struct sock_filter` instruction in bytes.
    public static let instructionSize = 8

    /// The instructions, in host byte order, as `seccomp_export_bpf` wrote them.
    public var bytes: [UInt8]
    /// `SECCOMP_FILTER_FLAG_*` bits for the `seccomp(2)` call.
    public var flags: SeccompFilterFlags
    /// Syscall names of the profile that libseccomp did not know and were skipped (as runc does).
    public var unknownSyscalls: [String]

    public init(bytes: [UInt8], flags: SeccompFilterFlags = [], unknownSyscalls: [String] = []) {
        self.bytes = bytes
        self.flags = flags
        self.unknownSyscalls = unknownSyscalls
    }

    /// Number of BPF instructions.
    public var instructionCount: Int { bytes.count / Self.instructionSize }

    /// One warning per skipped syscall name.
    public var warnings: [StackWarning] {
        unknownSyscalls.map {
            StackWarning("seccomp: unknown syscall \"\($0)\" ignored", path: "linux.seccomp.syscalls")
        }
    }
}
