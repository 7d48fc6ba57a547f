/// Usage figures read from a cgroup. nil where the kernel has no such file.
public struct CgroupStats: Sendable, Equatable {
    public var memory = Memory()
    public var cpu = CPU()
    public var pids = Pids()

    public init() {}

    public struct Memory: Sendable, Equatable {
        /// Bytes in use (v1 `memory.usage_in_bytes`, v2 `memory.current`).
        public var usage: UInt64?
        /// The limit in bytes; nil when unlimited.
        public var limit: UInt64?
        /// The peak (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`).
        public var maxUsage: UInt64?
        /// How often the limit was hit (v1 `memory.failcnt`; v2 `max` of `memory.events`).
        public var failcnt: UInt64?
        /// Swap in use (v1 memsw usage minus usage, v2 `memory.swap.current`).
        public var swapUsage: UInt64?
        /// v2 `memory.events` (`low`, `high`, `max`, `oom`, `oom_kill`); v1 `oom_kill` from `memory.oom_control`.
        public var events: [String: UInt64] = [:]
        /// `memory.stat` as key → value.
        public var stat: [String: UInt64] = [:]

        public init() {}
    }

    public struct CPU: Sendable, Equatable {
        /// Total CPU time in nanoseconds.
        public var usageNanoseconds: UInt64?
        public var userNanoseconds: UInt64?
        public var systemNanoseconds: UInt64?
        /// Throttling (`cpu.stat`): periods, throttled periods, throttled time in nanoseconds.
        public var periods: UInt64?
        public var throttledPeriods: UInt64?
        public var throttledNanoseconds: UInt64?

        public init() {}
    }

    public struct Pids: Sendable, Equatable {
        public var current: UInt64?
        /// nil when unlimited.
        public var limit: UInt64?

        public init() {}
    }
}
