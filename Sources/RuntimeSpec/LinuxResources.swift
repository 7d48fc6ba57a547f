extension Spec.Linux {
    /// `linux.resources`: cgroup limits. Integer widths follow the spec: memory values are int64 (-1 is
    /// "unlimited"), cpu shares/period and hugepage limits uint64.
    public struct Resources: Codable, Sendable, Hashable {
        /// The device allowlist, applied in order.
        public var devices: [DeviceRule]?
        public var memory: Memory?
        public var cpu: CPU?
        public var pids: Pids?
        public var blockIO: BlockIO?
        public var hugepageLimits: [HugepageLimit]?
        public var network: Network?
        /// RDMA limits by device name.
        public var rdma: [String: Rdma]?
        /// Raw cgroup v2 files to write, e.g. `memory.high: "1G"`.
        public var unified: [String: String]?

        public init() {}
    }

    /// One of `resources.devices`: allow or deny access to `type` (`a`, `b`, `c`) major:minor.
    public struct DeviceRule: Codable, Sendable, Hashable {
        public var allow: Bool
        public var type: String?
        /// nil matches every major (`*`).
        public var major: Int64?
        public var minor: Int64?
        /// Any of `r`, `w`, `m`.
        public var access: String?

        public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
            self.allow = allow
            self.type = type
            self.major = major
            self.minor = minor
            self.access = access
        }
    }

    /// `resources.memory`, in bytes.
    public struct Memory: Codable, Sendable, Hashable {
        public var limit: Int64?
        public var reservation: Int64?
        /// Memory plus swap (cgroup v1 semantics).
        public var swap: Int64?
        /// Deprecated kernel memory limit.
        public var kernel: Int64?
        public var kernelTCP: Int64?
        /// 0…100.
        public var swappiness: UInt64?
        public var disableOOMKiller: Bool?
        public var useHierarchy: Bool?
        /// Refuse an update that sets the limit below current usage.
        public var checkBeforeUpdate: Bool?

        public init(limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil) {
            self.limit = limit
            self.reservation = reservation
            self.swap = swap
        }
    }

    /// `resources.cpu`.
    public struct CPU: Codable, Sendable, Hashable {
        public var shares: UInt64?
        /// Microseconds per period; -1 is unlimited.
        public var quota: Int64?
        public var burst: UInt64?
        public var period: UInt64?
        public var realtimeRuntime: Int64?
        public var realtimePeriod: UInt64?
        /// cpuset list, e.g. `0-3,7`.
        public var cpus: String?
        /// Memory-node list.
        public var mems: String?
        /// cgroup v2 `cpu.idle`.
        public var idle: Int64?

        public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, cpus: String? = nil) {
            self.shares = shares
            self.quota = quota
            self.period = period
            self.cpus = cpus
        }
    }

    /// `resources.pids`.
    public struct Pids: Codable, Sendable, Hashable {
        /// Maximum number of tasks; 0 or less is unlimited.
        public var limit: Int64?

        public init(limit: Int64? = nil) {
            self.limit = limit
        }
    }

    /// `resources.blockIO`: weights (10…1000) and per-device throttles.
    public struct BlockIO: Codable, Sendable, Hashable {
        public var weight: UInt16?
        public var leafWeight: UInt16?
        public var weightDevice: [WeightDevice]?
        public var throttleReadBpsDevice: [ThrottleDevice]?
        public var throttleWriteBpsDevice: [ThrottleDevice]?
        public var throttleReadIOPSDevice: [ThrottleDevice]?
        public var throttleWriteIOPSDevice: [ThrottleDevice]?

        public init() {}
    }

    /// A per-device weight.
    public struct WeightDevice: Codable, Sendable, Hashable {
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

    /// A per-device rate: bytes or operations per second.
    public struct ThrottleDevice: Codable, Sendable, Hashable {
        public var major: Int64
        public var minor: Int64
        public var rate: UInt64

        public init(major: Int64, minor: Int64, rate: UInt64) {
            self.major = major
            self.minor = minor
            self.rate = rate
        }
    }

    /// A hugetlb limit: `pageSize` like `2MB`, `1GB`; `limit` in bytes.
    public struct HugepageLimit: Codable, Sendable, Hashable {
        public var pageSize: String
        public var limit: UInt64

        public init(pageSize: String, limit: UInt64) {
            self.pageSize = pageSize
            self.limit = limit
        }
    }

    /// `resources.network`: net_cls class id and net_prio priorities.
    public struct Network: Codable, Sendable, Hashable {
        public var classID: UInt32?
        public var priorities: [InterfacePriority]?

        public init(classID: UInt32? = nil, priorities: [InterfacePriority]? = nil) {
            self.classID = classID
            self.priorities = priorities
        }
    }

    /// A net_prio priority for one interface.
    public struct InterfacePriority: Codable, Sendable, Hashable {
        public var name: String
        public var priority: UInt32

        public init(name: String, priority: UInt32) {
            self.name = name
            self.priority = priority
        }
    }

    /// RDMA limits for one device.
    public struct Rdma: Codable, Sendable, Hashable {
        public var hcaHandles: UInt32?
        public var hcaObjects: UInt32?

        public init(hcaHandles: UInt32? = nil, hcaObjects: UInt32? = nil) {
            self.hcaHandles = hcaHandles
            self.hcaObjects = hcaObjects
        }
    }
}
