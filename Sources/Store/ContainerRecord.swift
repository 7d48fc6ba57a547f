/// One row of `containers`: what the engine knows about a container between commands and daemon restarts.
///
/// Times are seconds since the Unix epoch. `name` is stored without Docker's leading `/`.
public struct ContainerRecord: Sendable, Equatable {
    /// 64 lowercase hex characters.
    public var id: String
    /// Unique among containers.
    public var name: String
    /// The image as the user named it (`busybox:latest`).
    public var imageRef: String?
    /// The image's id (`sha256:<hex>`) at create time.
    public var imageID: String?
    public var createdAt: Double
    public var state: ContainerState
    /// The container's init pid while it runs.
    public var pid: Int32?
    /// The `stack-monitor` pid while it runs.
    public var monitorPID: Int32?
    /// The last exit status (128+N for a signal).
    public var exitCode: Int32?
    public var oomKilled: Bool
    public var startedAt: Double?
    public var finishedAt: Double?
    public var restartCount: Int
    public var labels: [String: String]
    /// The create request as JSON text; the store does not look inside.
    public var config: String
    /// A hash of the desired spec, for the reconciler to detect changes.
    public var specHash: String?
    /// The last engine error for this container (Docker's `State.Error`).
    public var error: String?

    /// Creates a record; everything but the identity has a "just created" default.
    public init(
        id: String, name: String, imageRef: String? = nil, imageID: String? = nil, createdAt: Double,
        state: ContainerState = .created, pid: Int32? = nil, monitorPID: Int32? = nil, exitCode: Int32? = nil,
        oomKilled: Bool = false, startedAt: Double? = nil, finishedAt: Double? = nil, restartCount: Int = 0,
        labels: [String: String] = [:], config: String = "{}", specHash: String? = nil, error: String? = nil
    ) {
        self.id = id
        self.name = name
        self.imageRef = imageRef
        self.imageID = imageID
        self.createdAt = createdAt
        self.state = state
        self.pid = pid
        self.monitorPID = monitorPID
        self.exitCode = exitCode
        self.oomKilled = oomKilled
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.restartCount = restartCount
        self.labels = labels
        self.config = config
        self.specHash = specHash
        self.error = error
    }

    /// The first 12 characters of the id, as `docker ps` shows it.
    public var shortID: String { String(id.prefix(12)) }
}
