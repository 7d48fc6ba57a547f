extension Spec.Linux {
    /// `linux.seccomp`: a filter in libseccomp's terms. Names are kept as strings here; `SpecValidator`
    /// checks them against `SeccompAction`, `SeccompArch`, `SeccompFlag` and `SeccompOperator`.
    public struct Seccomp: Codable, Sendable, Hashable {
        public var defaultAction: String
        /// errno for a default action of `SCMP_ACT_ERRNO` (EPERM when absent).
        public var defaultErrnoRet: UInt32?
        public var architectures: [String]?
        public var flags: [String]?
        /// A unix socket that receives the notify fd when an action is `SCMP_ACT_NOTIFY`.
        public var listenerPath: String?
        public var listenerMetadata: String?
        public var syscalls: [Syscall]?

        public init(defaultAction: String, syscalls: [Syscall]? = nil) {
            self.defaultAction = defaultAction
            self.syscalls = syscalls
        }
    }

    /// A rule: an action for the named syscalls, optionally only when all argument conditions hold.
    public struct Syscall: Codable, Sendable, Hashable {
        public var names: [String]
        public var action: String
        public var errnoRet: UInt32?
        public var args: [SyscallArg]?

        public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [SyscallArg]? = nil) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
        }
    }

    /// An argument condition: `args[index] op value` (`SCMP_CMP_MASKED_EQ` compares `arg & value == valueTwo`).
    public struct SyscallArg: Codable, Sendable, Hashable {
        public var index: UInt32
        public var value: UInt64
        public var valueTwo: UInt64?
        public var op: String

        public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }
    }
}
