/// `HostConfig` of a create request: resources, security and host-side settings, in Docker's shape.
///
/// Zero / empty means "not set" as in Docker (e.g. `Memory: 0` is no limit). Missing keys and `null`
/// decode to the defaults.
public struct HostConfig: Codable, Sendable, Hashable {
    /// Bytes; 0 = no limit.
    public var memory: Int64 = 0
    /// Memory + swap in bytes; 0 = default (twice `memory`), -1 = unlimited swap.
    public var memorySwap: Int64 = 0
    /// Soft limit in bytes; 0 = none.
    public var memoryReservation: Int64 = 0
    /// Relative CPU weight (`-c`); 0 = default.
    public var cpuShares: Int64 = 0
    /// CPUs in units of 1e-9 (`--cpus 1.5` = 1_500_000_000).
    public var nanoCpus: Int64 = 0
    /// CFS period in microseconds.
    public var cpuPeriod: Int64 = 0
    /// CFS quota in microseconds.
    public var cpuQuota: Int64 = 0
    /// e.g. `0-1,3`.
    public var cpusetCpus: String = ""
    public var cpusetMems: String = ""
    /// nil, 0 or -1 = unlimited.
    public var pidsLimit: Int64?
    /// 10…1000; 0 = not set.
    public var blkioWeight: UInt16 = 0
    public var blkioDeviceReadBps: [ThrottleDevice] = []
    public var blkioDeviceWriteBps: [ThrottleDevice] = []
    public var blkioDeviceReadIOps: [ThrottleDevice] = []
    public var blkioDeviceWriteIOps: [ThrottleDevice] = []
    public var ulimits: [Ulimit] = []
    public var readonlyRootfs: Bool = false
    /// Capability names, with or without `CAP_`, or `ALL`.
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    public var privileged: Bool = false
    /// `seccomp=<profile JSON>|unconfined`, `no-new-privileges[:true]`, …
    public var securityOpt: [String] = []
    /// Run `stack-init` as PID 1 (nil = the daemon's default: no).
    public var initProcess: Bool?
    /// `default`, `bridge`, `none`, `host`, `container:<name|id>` or a network's name.
    public var networkMode: String = ""
    /// `"80/tcp"` → where to publish it (`-p`); an empty `HostPort` picks a free port.
    public var portBindings: [String: [PortBinding]] = [:]
    /// Publish every exposed port on a random host port (`-P`).
    public var publishAllPorts: Bool = false
    public var restartPolicy: RestartPolicy = RestartPolicy()
    /// Remove the container when it exits (`--rm`).
    public var autoRemove: Bool = false
    /// /dev/shm size in bytes; 0 = 64 MiB.
    public var shmSize: Int64 = 0
    /// Container path → mount options (`size=64m,mode=1777`).
    public var tmpfs: [String: String] = [:]
    /// `host-src:container-dest[:options]`.
    public var binds: [String] = []
    public var oomKillDisable: Bool?
    /// -1000…1000.
    public var oomScoreAdj: Int = 0
    public var sysctls: [String: String] = [:]
    /// The terminal's size at creation, `[height, width]` (the CLI's, with `-t`).
    public var consoleSize: [Int]?
    /// The log driver and its options (`--log-opt max-size=10m --log-opt max-file=3`).
    public var logConfig: LogConfig?

    // Volumes (issue 6).
    /// `--mount` entries, in order.
    public var mounts: [MountSpec] = []
    /// `--volumes-from NAME[:ro|:rw]`: the containers whose mounts this one repeats.
    public var volumesFrom: [String] = []

    /// `HostConfig.LogConfig`: only Docker's `json-file` driver is implemented.
    public struct LogConfig: Codable, Sendable, Hashable {
        public var type: String
        public var config: [String: String]

        public init(type: String = "json-file", config: [String: String] = [:]) {
            self.type = type
            self.config = config
        }

        enum CodingKeys: String, CodingKey { case type = "Type", config = "Config" }
    }

    public init() {}

    /// A per-device rate (`--device-read-bps /dev/sda:1mb`): bytes or operations per second.
    public struct ThrottleDevice: Codable, Sendable, Hashable {
        public var path: String
        public var rate: UInt64

        public init(path: String, rate: UInt64) {
            self.path = path
            self.rate = rate
        }

        enum CodingKeys: String, CodingKey {
            case path = "Path", rate = "Rate"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
            rate = try c.decodeIfPresent(UInt64.self, forKey: .rate) ?? 0
        }
    }

    /// A resource limit (`--ulimit nofile=1024:2048`): the name without `RLIMIT_`, lower case.
    public struct Ulimit: Codable, Sendable, Hashable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        public init(name: String, soft: Int64, hard: Int64) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", soft = "Soft", hard = "Hard"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            soft = try c.decodeIfPresent(Int64.self, forKey: .soft) ?? 0
            hard = try c.decodeIfPresent(Int64.self, forKey: .hard) ?? 0
        }
    }

    /// `--restart`: `""`/`no`, `always`, `unless-stopped` or `on-failure` (with a retry count).
    public struct RestartPolicy: Codable, Sendable, Hashable {
        public var name: String
        public var maximumRetryCount: Int
        /// stack's extension (Swarm's field, from `deploy.restart_policy.delay`): a fixed wait
        /// between attempts, in nanoseconds, instead of the doubling back-off. Nil: back-off.
        public var delay: Int64?
        /// stack's extension (`deploy.restart_policy.window`): a run at least this long (ns)
        /// counts as a success, starting the back-off over. Nil: 10 s, as moby.
        public var window: Int64?

        public init(name: String = "", maximumRetryCount: Int = 0, delay: Int64? = nil, window: Int64? = nil) {
            self.name = name
            self.maximumRetryCount = maximumRetryCount
            self.delay = delay
            self.window = window
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", maximumRetryCount = "MaximumRetryCount", delay = "Delay", window = "Window"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            maximumRetryCount = try c.decodeIfPresent(Int.self, forKey: .maximumRetryCount) ?? 0
            delay = try c.decodeIfPresent(Int64.self, forKey: .delay)
            window = try c.decodeIfPresent(Int64.self, forKey: .window)
        }
    }

    enum CodingKeys: String, CodingKey {
        case memory = "Memory", memorySwap = "MemorySwap", memoryReservation = "MemoryReservation"
        case cpuShares = "CpuShares", nanoCpus = "NanoCpus", cpuPeriod = "CpuPeriod", cpuQuota = "CpuQuota"
        case cpusetCpus = "CpusetCpus", cpusetMems = "CpusetMems", pidsLimit = "PidsLimit"
        case blkioWeight = "BlkioWeight", blkioDeviceReadBps = "BlkioDeviceReadBps"
        case blkioDeviceWriteBps = "BlkioDeviceWriteBps", blkioDeviceReadIOps = "BlkioDeviceReadIOps"
        case blkioDeviceWriteIOps = "BlkioDeviceWriteIOps", ulimits = "Ulimits", readonlyRootfs = "ReadonlyRootfs"
        case capAdd = "CapAdd", capDrop = "CapDrop", privileged = "Privileged", securityOpt = "SecurityOpt"
        case initProcess = "Init", networkMode = "NetworkMode", restartPolicy = "RestartPolicy"
        case autoRemove = "AutoRemove", shmSize = "ShmSize", tmpfs = "Tmpfs", binds = "Binds"
        case oomKillDisable = "OomKillDisable", oomScoreAdj = "OomScoreAdj", sysctls = "Sysctls"
        case consoleSize = "ConsoleSize", logConfig = "LogConfig", portBindings = "PortBindings"
        case publishAllPorts = "PublishAllPorts"
        case mounts = "Mounts", volumesFrom = "VolumesFrom"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        memory = try c.decodeIfPresent(Int64.self, forKey: .memory) ?? 0
        memorySwap = try c.decodeIfPresent(Int64.self, forKey: .memorySwap) ?? 0
        memoryReservation = try c.decodeIfPresent(Int64.self, forKey: .memoryReservation) ?? 0
        cpuShares = try c.decodeIfPresent(Int64.self, forKey: .cpuShares) ?? 0
        nanoCpus = try c.decodeIfPresent(Int64.self, forKey: .nanoCpus) ?? 0
        cpuPeriod = try c.decodeIfPresent(Int64.self, forKey: .cpuPeriod) ?? 0
        cpuQuota = try c.decodeIfPresent(Int64.self, forKey: .cpuQuota) ?? 0
        cpusetCpus = try c.decodeIfPresent(String.self, forKey: .cpusetCpus) ?? ""
        cpusetMems = try c.decodeIfPresent(String.self, forKey: .cpusetMems) ?? ""
        pidsLimit = try c.decodeIfPresent(Int64.self, forKey: .pidsLimit)
        blkioWeight = try c.decodeIfPresent(UInt16.self, forKey: .blkioWeight) ?? 0
        blkioDeviceReadBps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceReadBps) ?? []
        blkioDeviceWriteBps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceWriteBps) ?? []
        blkioDeviceReadIOps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceReadIOps) ?? []
        blkioDeviceWriteIOps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceWriteIOps) ?? []
        ulimits = try c.decodeIfPresent([Ulimit].self, forKey: .ulimits) ?? []
        readonlyRootfs = try c.decodeIfPresent(Bool.self, forKey: .readonlyRootfs) ?? false
        capAdd = try c.decodeIfPresent([String].self, forKey: .capAdd) ?? []
        capDrop = try c.decodeIfPresent([String].self, forKey: .capDrop) ?? []
        privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged) ?? false
        securityOpt = try c.decodeIfPresent([String].self, forKey: .securityOpt) ?? []
        initProcess = try c.decodeIfPresent(Bool.self, forKey: .initProcess)
        networkMode = try c.decodeIfPresent(String.self, forKey: .networkMode) ?? ""
        restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy) ?? RestartPolicy()
        autoRemove = try c.decodeIfPresent(Bool.self, forKey: .autoRemove) ?? false
        shmSize = try c.decodeIfPresent(Int64.self, forKey: .shmSize) ?? 0
        tmpfs = try c.decodeIfPresent([String: String].self, forKey: .tmpfs) ?? [:]
        binds = try c.decodeIfPresent([String].self, forKey: .binds) ?? []
        oomKillDisable = try c.decodeIfPresent(Bool.self, forKey: .oomKillDisable)
        oomScoreAdj = try c.decodeIfPresent(Int.self, forKey: .oomScoreAdj) ?? 0
        sysctls = try c.decodeIfPresent([String: String].self, forKey: .sysctls) ?? [:]
        consoleSize = try c.decodeIfPresent([Int].self, forKey: .consoleSize)
        logConfig = try c.decodeIfPresent(LogConfig.self, forKey: .logConfig)
        // `"80/tcp": null` (seen from some clients) means no explicit binding.
        portBindings = (try c.decodeIfPresent([String: [PortBinding]?].self, forKey: .portBindings) ?? [:])
            .mapValues { $0 ?? [] }
        publishAllPorts = try c.decodeIfPresent(Bool.self, forKey: .publishAllPorts) ?? false
        mounts = try c.decodeIfPresent([MountSpec].self, forKey: .mounts) ?? []
        volumesFrom = try c.decodeIfPresent([String].self, forKey: .volumesFrom) ?? []
    }
}
