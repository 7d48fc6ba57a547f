import Cgroups
import ContainerInit
import LinuxOS
import RuntimeSpec
import StackCore

/// A container known to the state directory: its record, its spec copy, and derived facts.
public struct Container: Sendable {
    public let record: ContainerRecord
    public let spec: Spec
    public let store: StateDirectory
    /// The host's cgroup layout when already known (else detected by `cgroup()`).
    let layout: CgroupLayout?

    public init(id: String, store: StateDirectory) throws(StackError) {
        self.record = try store.load(id)
        self.spec = (try? store.loadSpec(id)) ?? Spec()
        self.store = store
        self.layout = nil
    }

    /// A container known in memory (`create` just saved it).
    public init(record: ContainerRecord, spec: Spec, store: StateDirectory, layout: CgroupLayout? = nil) {
        self.record = record
        self.spec = spec
        self.store = store
        self.layout = layout
    }

    public var id: String { record.id }

    /// Whether the init process is still the one `create` started.
    public var initAlive: Bool { ProcessProbe.isAlive(record.pid, startTime: record.initStartTime) }

    /// The cgroup manager for the container's cgroup (nil when the host has no cgroups).
    public func cgroup() throws(StackError) -> any CgroupManager {
        let layout: CgroupLayout
        if let known = self.layout { layout = known } else { layout = try CgroupLayout.detect() }
        return try CgroupManagerFactory.make(layout: layout, path: record.cgroupPath)
    }

    public var status: ContainerStatus {
        let alive = initAlive
        var frozen = false
        if alive, let manager = try? cgroup(), let state = try? manager.state() { frozen = state == .frozen }
        return StatusDerivation.status(
            initAlive: alive, fifoExists: FileIO.exists(store.fifoPath(id)), frozen: frozen)
    }

    public var state: StateOutput { StateOutput(record: record, status: status) }

    /// The state as JSON text, for hooks and `state`.
    public func stateJSON(status: ContainerStatus? = nil, pretty: Bool = false) throws(StackError) -> String {
        var output = state
        if let status { output.status = status }
        return try JSONValueEncoder(indent: pretty ? "  " : nil).encodeString(output)
    }
}
