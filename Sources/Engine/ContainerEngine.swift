#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
#endif
import Images
import Runtime
import StackAPI
import LinuxOS
import StackCore
import Store

/// The daemon's container service: it owns every change to containers (create, start, stop,
/// remove …), records them in the store, and learns of exits from the monitors. One actor, so
/// changes to one container never interleave.
public actor ContainerEngine {
    let paths: EnginePaths
    let store: StateStore
    let images: ImageStore
    let runtime: any ContainerRuntimeDriver
    let monitors: any MonitorDriver
    let rootfs: any RootfsDriver
    let exits: any ExitNotifier
    /// Callers of `wait` per container id, resumed with the exit status when it stops.
    var waiters: [String: [Int: CheckedContinuation<ContainerWaitResponse, Never>]] = [:]
    var waiterSequence = 0
    /// Containers being removed because they asked for it (`--rm`), so a racing `rm` is quiet.
    var autoRemoving: Set<String> = []
    /// Exit statuses of `--rm` containers removed in the last minutes, for a `wait` that arrives
    /// after the removal (`run --rm` asks once the output ended).
    var removedExits: [String: (status: Int32, time: Double, error: String?)] = [:]
    /// Starts under way (their monitors are launched off the actor), with who waits for each.
    var startsInFlight: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Clean-ups after exits under way, by container id.
    var cleanups: [String: Task<Void, Never>] = [:]
    /// Exec instances by id.
    var execs: [String: ExecInstance] = [:]
    /// Naming and addressing of networks.
    let networkConfig: NetworkConfig
    /// Bridges, veths, namespaces, rules, port proxies and DNS.
    let network: any NetworkDriver
    /// The nftables script last applied ("" = no table), so unchanged rules are not rewritten.
    var appliedRules: String?
    /// Whether the default bridge exists (it is made on first use).
    var defaultBridgeUp = false
    /// The published ports of running containers, by id.
    var publishedPorts: [String: [PublishedPort]] = [:]
    /// Pending restarts (restart policies), by id.
    var restartTimers: [String: Task<Void, Never>] = [:]
    /// When each pending restart is due (seconds since the epoch), by id.
    var restartDue: [String: Double] = [:]
    /// The back-off before each container's last restart, in seconds.
    var restartDelays: [String: Double] = [:]
    /// Healthcheck loops of running containers, by id.
    var healthChecks: [String: Task<Void, Never>] = [:]
    /// The last health of containers with a healthcheck, by id.
    var health: [String: HealthState] = [:]

    /// An engine over `store` and `images`. The kernel and process boundaries default to the real
    /// ones: the in-process runtime on `paths.runtimeRoot`, `stack-monitor` from `paths.binaries`,
    /// overlay mounts, a pidfd exit watcher (started here), and the kernel network driver
    /// (rtnetlink, nftables, `stack-proxy`, the DNS server). Tests pass fakes.
    public init(
        paths: EnginePaths, store: StateStore, images: ImageStore, runtime: (any ContainerRuntimeDriver)? = nil,
        monitors: (any MonitorDriver)? = nil, rootfs: any RootfsDriver = OverlayRootfsDriver(),
        exits: (any ExitNotifier)? = nil, networkConfig: NetworkConfig = NetworkConfig(),
        network: (any NetworkDriver)? = nil
    ) throws(StackError) {
        self.networkConfig = networkConfig
        self.network = network ?? KernelNetworkDriver(proxyBinary: paths.proxyBinary, upstreams: networkConfig.upstreams)
        self.paths = paths
        self.store = store
        self.images = images
        self.runtime = runtime ?? RuntimeOperationsDriver(root: paths.runtimeRoot)
        self.monitors = monitors ?? MonitorProcessDriver(binary: paths.monitorBinary)
        self.rootfs = rootfs
        if let exits {
            self.exits = exits
        } else {
            self.exits = try ProcessExitWatcher()
        }
        try Directories.make(paths.containers, mode: 0o711)
    }

    /// The record of `reference` (full id, name, or unique id prefix).
    func record(_ reference: String) throws(StackError) -> Store.ContainerRecord {
        try store.containers.resolve(reference)
    }

    /// Record a container's event. It carries the container's labels, name and image in its
    /// attributes, as Docker's do (so `stack events` can tell a service's containers without asking).
    func containerEvent(_ action: String, _ record: Store.ContainerRecord, attributes: [String: String] = [:]) {
        event(type: "container", action: action, actor: record.id, attributes: Self.eventAttributes(record, attributes))
    }

    /// `attributes` with the container's labels, name and image added where not given.
    static func eventAttributes(_ record: Store.ContainerRecord, _ attributes: [String: String] = [:]) -> [String: String] {
        var attributes = attributes
        for (key, value) in record.labels where attributes[key] == nil { attributes[key] = value }
        if attributes["name"] == nil { attributes["name"] = record.name }
        if attributes["image"] == nil, let image = record.imageRef { attributes["image"] = image }
        return attributes
    }

    /// Persist a changed record.
    func save(_ record: Store.ContainerRecord) throws(StackError) {
        try store.containers.update(record)
    }
}

extension ContainerEngine {
    /// Record an event in the store's log (best effort: a failure to log never fails the change).
    func event(type: String, action: String, actor: String, attributes: [String: String]) {
        _ = try? store.events.append(
            EventRecord(seq: 0, time: TimeText.now(), type: type, action: action, actorID: actor, attributes: attributes))
    }
}
