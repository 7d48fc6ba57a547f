/// A seccomp profile as the OCI runtime spec's `linux.seccomp` section describes it.
///
/// Names stay strings (`SCMP_ACT_ERRNO`, `SCMP_ARCH_X86_64`, `SCMP_CMP_EQ`, `SECCOMP_FILTER_FLAG_LOG`) so that the
/// runtime maps config.json onto it one to one; `SeccompCompiler` validates them and names the bad one.
public struct SeccompProfile: Sendable, Hashable {
    /// The action for every syscall no rule matches, e.g. `SCMP_ACT_ERRNO`.
    public var defaultAction: String
    /// The errno `SCMP_ACT_ERRNO`/`SCMP_ACT_TRACE` return as the default action; EPERM when absent.
    public var defaultErrnoRet: UInt32?
    /// Extra architectures the filter also accepts (`SCMP_ARCH_X86`, …); the native one is always there.
    public var architectures: [String]
    /// `SECCOMP_FILTER_FLAG_TSYNC`, `…_LOG`, `…_SPEC_ALLOW`, `…_WAIT_KILLABLE_RECV`.
    public var flags: [String]
    /// The rules, in order.
    public var syscalls: [Rule]

    public init(
        defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String] = [],
        flags: [String] = [], syscalls: [Rule] = []
    ) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.flags = flags
        self.syscalls = syscalls
    }

    /// One `syscalls[]` entry: an action for some syscalls, optionally only when their arguments match.
    public struct Rule: Sendable, Hashable {
        /// Syscall names; names this libseccomp does not know are skipped with a warning (as runc does).
        public var names: [String]
        /// E.g. `SCMP_ACT_ALLOW`, `SCMP_ACT_ERRNO`.
        public var action: String
        /// The errno for `SCMP_ACT_ERRNO`/`SCMP_ACT_TRACE`; EPERM when absent.
        public var errnoRet: UInt32?
        /// Argument comparisons. Different indexes must all hold (AND); when an index repeats, each
        /// comparison becomes its own rule and any one suffices (OR), as runc and crun do.
        public var args: [Argument]

        public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [Argument] = []) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
        }
    }

    /// A comparison of one syscall argument: `args[index] op value` (for `SCMP_CMP_MASKED_EQ`:
    /// `args[index] & value == valueTwo`).
    public struct Argument: Sendable, Hashable {
        /// 0…5.
        public var index: UInt32
        public var value: UInt64
        public var valueTwo: UInt64
        /// `SCMP_CMP_NE`, `_LT`, `_LE`, `_EQ`, `_GE`, `_GT`, `_MASKED_EQ`.
        public var op: String

        public init(index: UInt32, value: UInt64, valueTwo: UInt64 = 0, op: String) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }
    }
}
