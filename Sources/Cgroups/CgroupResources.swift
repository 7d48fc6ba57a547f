/// Resource limits for one cgroup, independent of the cgroup version. Every field is optional:
/// nil leaves the kernel's current value alone (so `update` can change one thing).
///
/// Values follow the OCI runtime spec: memory and swap in bytes with -1 for unlimited, swap being
/// memory+swap; cpu shares as in cgroup v1 (2…262144); blkio weights 10…1000.
public struct CgroupResources: Sendable, Equatable {
    public var memory = Memory()
    public var cpu = CPU()
    public var pids = Pids()
    public var blockIO = BlockIO()
    /// Hugepage limits; `pageSize` as the kernel names it (`2MB`, `1GB`).
    public var hugepageLimits: [HugepageLimit] = []
    /// Device access rules in order; nil leaves the device controller alone. On cgroup v1 the list
    /// is applied after denying everything.
    public var devices: [DeviceRule]?
    /// Raw cgroup v2 files and values (`memory.high` → `1G`), written verbatim after the rest.
    public var unified: [String: String] = [:]

    public init() {}

    public struct Memory: Sendable, Equatable {
        /// Hard limit in bytes; -1 is unlimited.
        public var limit: Int64?
        /// Soft limit (v1 `soft_limit_in_bytes`, v2 `memory.low`); -1 is unlimited.
        public var reservation: Int64?
        /// Memory plus swap in bytes; -1 is unlimited.
        public var swap: Int64?
        /// 0…100; cgroup v1 only.
        public var swappiness: UInt64?
        /// cgroup v1 `memory.oom_control`.
        public var disableOOMKiller: Bool?
        /// cgroup v2 `memory.oom.group`: the OOM killer takes the whole cgroup.
        public var oomGroup: Bool?
        /// Kernel TCP buffer limit in bytes (cgroup v1 `memory.kmem.tcp.limit_in_bytes`); -1 is unlimited.
        public var kernelTCP: Int64?

        public init(
            limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil, swappiness: UInt64? = nil,
            disableOOMKiller: Bool? = nil, oomGroup: Bool? = nil, kernelTCP: Int64? = nil
        ) {
            self.kernelTCP = kernelTCP
            self.limit = limit
            self.reservation = reservation
            self.swap = swap
            self.swappiness = swappiness
            self.disableOOMKiller = disableOOMKiller
            self.oomGroup = oomGroup
        }
    }

    public struct CPU: Sendable, Equatable {
        /// Relative weight, cgroup v1 scale (v2 converts to `cpu.weight`).
        public var shares: UInt64?
        /// CFS quota in microseconds per period; -1 (or 0) is unlimited.
        public var quota: Int64?
        /// CFS period in microseconds.
        public var period: UInt64?
        /// Burst in microseconds.
        public var burst: UInt64?
        /// Real-time runtime and period in microseconds (cgroup v1 only).
        public var realtimeRuntime: Int64?
        public var realtimePeriod: UInt64?
        /// cpuset lists, e.g. `0-3,6`.
        public var cpus: String?
        public var mems: String?
        /// 1 makes the cgroup SCHED_IDLE.
        public var idle: Int64?

        public init(
            shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, burst: UInt64? = nil,
            realtimeRuntime: Int64? = nil, realtimePeriod: UInt64? = nil, cpus: String? = nil,
            mems: String? = nil, idle: Int64? = nil
        ) {
            self.shares = shares
            self.quota = quota
            self.period = period
            self.burst = burst
            self.realtimeRuntime = realtimeRuntime
            self.realtimePeriod = realtimePeriod
            self.cpus = cpus
            self.mems = mems
            self.idle = idle
        }
    }

    public struct Pids: Sendable, Equatable {
        /// Maximum number of tasks; 0 or less is unlimited (`max`).
        public var limit: Int64?

        public init(limit: Int64? = nil) { self.limit = limit }
    }

    public struct BlockIO: Sendable, Equatable {
        /// 10…1000.
        public var weight: UInt16?
        /// 10…1000; cgroup v1 only.
        public var leafWeight: UInt16?
        public var weightDevices: [WeightDevice] = []
        public var throttleReadBps: [ThrottleDevice] = []
        public var throttleWriteBps: [ThrottleDevice] = []
        public var throttleReadIOPS: [ThrottleDevice] = []
        public var throttleWriteIOPS: [ThrottleDevice] = []

        public init(weight: UInt16? = nil, leafWeight: UInt16? = nil) {
            self.weight = weight
            self.leafWeight = leafWeight
        }

        /// Whether any throttle is set.
        public var hasThrottles: Bool {
            !(throttleReadBps.isEmpty && throttleWriteBps.isEmpty && throttleReadIOPS.isEmpty && throttleWriteIOPS.isEmpty)
        }
    }

    /// A weight for one block device.
    public struct WeightDevice: Sendable, Equatable {
        public var major: Int64
        public var minor: Int64
        public var weight: UInt16?
        public var leafWeight: UInt16?

        public init(major: Int64, minor: Int64, weight: UInt16? = nil, leafWeight: UInt16? = nil) {
            self.major = major
            self.minor = minor
            self.weight = weight
            self.leafWeight = leafWeight
        }
    }

    /// A bytes- or operations-per-second limit for one block device; 0 removes the limit.
    public struct ThrottleDevice: Sendable, Equatable {
        public var major: Int64
        public var minor: Int64
        public var rate: UInt64

        public init(major: Int64, minor: Int64, rate: UInt64) {
            self.major = major
            self.minor = minor
            self.rate = rate
        }
    }

    public struct HugepageLimit: Sendable, Equatable {
        public var pageSize: String
        public var limit: UInt64

        public init(pageSize: String, limit: UInt64) {
            self.pageSize = pageSize
            self.limit = limit
        }
    }

    /// One device-cgroup rule: `c 1:3 rwm`.
    public struct DeviceRule: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case all = "a", char = "c", block = "b" }

        public var allow: Bool
        public var kind: Kind
        /// nil matches every major (`*`).
        public var major: Int64?
        /// nil matches every minor (`*`).
        public var minor: Int64?
        /// Some of `r`, `w`, `m`.
        public var access: String

        public init(allow: Bool, kind: Kind = .all, major: Int64? = nil, minor: Int64? = nil, access: String = "rwm") {
            self.allow = allow
            self.kind = kind
            self.major = major
            self.minor = minor
            self.access = access
        }

        /// The line for `devices.allow` / `devices.deny`: `a` for all devices, else `c 1:3 rwm`.
        public var description: String {
            if kind == .all { return "a" }
            let majorText = major.map(String.init) ?? "*"
            let minorText = minor.map(String.init) ?? "*"
            return "\(kind.rawValue) \(majorText):\(minorText) \(access.isEmpty ? "rwm" : access)"
        }
    }
}
