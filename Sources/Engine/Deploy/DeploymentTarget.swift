import StackAPI

/// What a deployment changes: the engine (ContainerEngine conforms), or a fake in tests. Each
/// method is one engine operation; errors are `StackError`s whose codes the runner reads
/// (`.notModified`, `.notFound`, `.conflict`).
public protocol DeploymentTarget: Sendable {
    func createNetwork(_ request: NetworkCreateRequest) async throws
    func createVolume(_ request: VolumeCreateRequest) async throws
    func createContainer(_ request: ContainerCreateRequest, name: String) async throws
    func startContainer(_ name: String) async throws
    func unpauseContainer(_ name: String) async throws
    func stopContainer(_ reference: String, timeout: Int?) async throws
    func removeContainer(_ reference: String, volumes: Bool) async throws
    func renameContainer(_ reference: String, to name: String) async throws
    func removeNetwork(_ name: String) async throws
    func removeVolume(_ name: String) async throws
    /// The container's state now, or nil when there is no such container.
    func containerStatus(_ name: String) async -> DeploymentContainerStatus?
}

/// What waits and resumed steps need to know of a container.
public struct DeploymentContainerStatus: Sendable, Hashable {
    /// Docker's status word: created, running, paused, restarting, exited, dead …
    public var status: String
    public var exitCode: Int
    /// starting, healthy, unhealthy; nil without a healthcheck.
    public var health: String?
    public var labels: [String: String]

    public init(status: String, exitCode: Int = 0, health: String? = nil, labels: [String: String] = [:]) {
        self.status = status
        self.exitCode = exitCode
        self.health = health
        self.labels = labels
    }

    public var running: Bool { status == "running" }
}
