import StackCore

/// Which cgroup version a manager drives.
public enum CgroupVersion: String, Sendable {
    case v1
    case v2
    /// v1 controllers plus a cgroup2 membership without controllers.
    case hybrid
}

/// The freezer state of a cgroup.
public enum CgroupFreezerState: String, Sendable {
    case thawed
    /// Asked to freeze, not all tasks are frozen yet.
    case freezing
    case frozen
}

/// Tunables for the waits a manager does.
public struct CgroupManagerOptions: Sendable {
    /// How often `destroy` tries `rmdir` on EBUSY (tasks may take a moment to leave a cgroup).
    public var rmdirAttempts: Int
    /// Pause before the first retry, doubling after each one.
    public var rmdirRetryDelayMicroseconds: UInt32
    /// How long `freeze`/`thaw` wait for the kernel to reach the state.
    public var freezeTimeoutMicroseconds: UInt64
    /// Pause between freezer state polls.
    public var freezePollMicroseconds: UInt32
    /// Installs the eBPF program that enforces device rules on cgroup v2 (which has no devices
    /// files); tests on a fake tree record instead.
    public var deviceFilter: any DeviceFilterLoader = LinuxDeviceFilterLoader()

    public init(
        rmdirAttempts: Int = 5, rmdirRetryDelayMicroseconds: UInt32 = 10_000,
        freezeTimeoutMicroseconds: UInt64 = 5_000_000, freezePollMicroseconds: UInt32 = 1_000
    ) {
        self.rmdirAttempts = rmdirAttempts
        self.rmdirRetryDelayMicroseconds = rmdirRetryDelayMicroseconds
        self.freezeTimeoutMicroseconds = freezeTimeoutMicroseconds
        self.freezePollMicroseconds = freezePollMicroseconds
    }
}

/// The cgroup of one container, on whatever layout the host has.
///
/// Life cycle: `create()` makes the directories (and prepares them: cgroup v2 controllers enabled
/// down the path, v1 cpuset values copied from the parent); `apply` sets limits before any process
/// joins; `addProcess` moves the init in; `update` changes limits of a running container;
/// `destroy()` removes the directories once the processes are gone.
public protocol CgroupManager: Sendable {
    var version: CgroupVersion { get }
    /// Every directory of this cgroup: controller (or `name=…` hierarchy) → directory; the cgroup2
    /// directory has the key `""`. Co-mounted controllers share a directory.
    var paths: [String: String] { get }
    /// The directory for `controller` (`""` for the cgroup2 directory), or nil if there is none.
    func path(for controller: String) -> String?

    /// Creates the directories (existing ones are fine).
    func create() throws(StackError)
    /// Writes the limits; resources listed by `unsupportedResources` are skipped.
    func apply(_ resources: CgroupResources) throws(StackError)
    /// Changes the limits of a running container (the same writes as `apply`, in a safe order).
    func update(_ resources: CgroupResources) throws(StackError)
    /// Human-readable reasons for each requested resource this manager cannot apply on this host,
    /// e.g. `devices: device rules on cgroup v2 need an eBPF program, not supported yet`. Empty when
    /// everything can be applied. The caller decides whether to warn or to refuse.
    func unsupportedResources(_ resources: CgroupResources) -> [String]

    /// Moves a process (and all its threads) into the cgroup.
    func addProcess(pid: Int32) throws(StackError)
    /// The processes in the cgroup and its sub-cgroups.
    func processes() throws(StackError) -> [Int32]
    /// Freezes every task, waiting until the kernel reports the cgroup frozen.
    func freeze() throws(StackError)
    /// Thaws every task, waiting until the kernel reports the cgroup thawed.
    func thaw() throws(StackError)
    func state() throws(StackError) -> CgroupFreezerState
    func stats() throws(StackError) -> CgroupStats
    /// Removes the directories, sub-cgroups first, retrying briefly on EBUSY. Kills nothing; missing
    /// directories are fine.
    func destroy() throws(StackError)
    /// Whether the cgroup's directories exist.
    func exists() -> Bool
}

extension CgroupManager {
    public func path(for controller: String) -> String? { paths[controller] }

    public func update(_ resources: CgroupResources) throws(StackError) { try apply(resources) }
}
