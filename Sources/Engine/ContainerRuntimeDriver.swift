import Cgroups
import Runtime
import StackCore

/// The OCI runtime operations the engine needs on a created container (what `stack-runtime`'s
/// start, kill, delete, pause, resume, ps and events would do), behind a protocol so the engine can
/// be driven against a fake in unprivileged tests.
public protocol ContainerRuntimeDriver: Sendable {
    /// Whether the runtime holds state for container `id` (created, running, paused or stopped).
    func exists(_ id: String) -> Bool
    /// Let a created container's process go.
    func start(_ id: String) throws(StackError)
    /// Send `signal` to the container's init, or with `all` to every process of its cgroup.
    func kill(_ id: String, signal: Int32, all: Bool) throws(StackError)
    /// Forget the container (with `force`, kill what still runs first).
    func delete(_ id: String, force: Bool) throws(StackError)
    /// Freeze the container's cgroup.
    func pause(_ id: String) throws(StackError)
    /// Thaw the container's cgroup.
    func resume(_ id: String) throws(StackError)
    /// The host pids of the container's processes.
    func processes(_ id: String) throws(StackError) -> [Int32]
    /// One reading of the container's cgroup figures.
    func stats(_ id: String) throws(StackError) -> CgroupStats
    /// Whether the kernel's OOM killer killed a process of the container's cgroup (false when unknown).
    func oomKilled(_ id: String) -> Bool
}

/// The real driver: `Runtime.ContainerOperations` on the runtime's state directory, in-process.
public struct RuntimeOperationsDriver: ContainerRuntimeDriver {
    public let operations: ContainerOperations

    /// The runtime whose state lives under `root` (`stack-runtime --root`).
    public init(root: String) {
        operations = ContainerOperations(store: StateDirectory(root: root), log: RuntimeLog(file: nil))
    }

    public func exists(_ id: String) -> Bool { (try? operations.container(id)) != nil }
    public func start(_ id: String) throws(StackError) { try operations.start(id) }
    public func kill(_ id: String, signal: Int32, all: Bool) throws(StackError) {
        try operations.kill(id, signal: signal, all: all)
    }
    public func delete(_ id: String, force: Bool) throws(StackError) { try operations.delete(id, force: force) }
    public func pause(_ id: String) throws(StackError) { try operations.pause(id) }
    public func resume(_ id: String) throws(StackError) { try operations.resume(id) }
    public func processes(_ id: String) throws(StackError) -> [Int32] { try operations.processes(id) }
    public func stats(_ id: String) throws(StackError) -> CgroupStats { try operations.container(id).cgroup().stats() }

    public func oomKilled(_ id: String) -> Bool {
        guard let stats = try? stats(id) else { return false }
        return (stats.memory.events["oom_kill"] ?? 0) > 0
    }
}
