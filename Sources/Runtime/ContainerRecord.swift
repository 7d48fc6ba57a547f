import RuntimeSpec
import StackCore

/// What `create` writes to `<root>/<id>/state.json` and every other command reads back.
public struct ContainerRecord: Codable, Sendable, Hashable {
    public var ociVersion: String
    public var id: String
    /// The init's pid on the host.
    public var pid: Int32
    /// The init's start time (field 22 of /proc/PID/stat), to notice a reused pid.
    public var initStartTime: UInt64
    public var bundle: String
    public var rootfs: String
    /// RFC 3339, UTC.
    public var created: String
    public var owner: String
    public var annotations: [String: String]?
    /// The cgroup path given to the cgroup manager (`cgroupsPath` or `/stack-runtime/<id>`).
    public var cgroupPath: String
    /// Controller → directory, as the manager reported it.
    public var cgroupPaths: [String: String]

    public init(
        id: String, pid: Int32, initStartTime: UInt64, bundle: String, rootfs: String, created: String,
        owner: String = "", annotations: [String: String]? = nil, cgroupPath: String, cgroupPaths: [String: String]
    ) {
        self.ociVersion = Spec.currentVersion
        self.id = id
        self.pid = pid
        self.initStartTime = initStartTime
        self.bundle = bundle
        self.rootfs = rootfs
        self.created = created
        self.owner = owner
        self.annotations = annotations
        self.cgroupPath = cgroupPath
        self.cgroupPaths = cgroupPaths
    }
}

/// The JSON `state` prints: the OCI state plus runc's `rootfs`, `created` and `owner`.
public struct StateOutput: Codable, Sendable, Hashable {
    public var ociVersion: String
    public var id: String
    public var pid: Int32
    public var status: ContainerStatus
    public var bundle: String
    public var rootfs: String
    public var created: String
    public var owner: String
    public var annotations: [String: String]?

    public init(record: ContainerRecord, status: ContainerStatus) {
        ociVersion = record.ociVersion
        id = record.id
        pid = status == .stopped ? 0 : record.pid
        self.status = status
        bundle = record.bundle
        rootfs = record.rootfs
        created = record.created
        owner = record.owner
        annotations = record.annotations
    }

    /// The OCI state hooks get on stdin.
    public var ociState: State {
        State(id: id, status: status, pid: pid, bundle: bundle, annotations: annotations)
    }
}

/// How a container's status follows from what is observable.
public enum StatusDerivation {
    /// stopped when the init is gone; paused when its cgroup is frozen; created while the exec FIFO
    /// exists (start removes it); running otherwise.
    public static func status(initAlive: Bool, fifoExists: Bool, frozen: Bool) -> ContainerStatus {
        if !initAlive { return .stopped }
        if frozen { return .paused }
        return fifoExists ? .created : .running
    }
}
