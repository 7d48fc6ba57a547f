import StackAPI
import StackCore

/// The engine as a deployment's target (`removeNetwork(_:)` is the engine's own).
extension ContainerEngine: DeploymentTarget {
    public func createNetwork(_ request: NetworkCreateRequest) async throws {
        _ = try createNetwork(request) as NetworkCreateResponse
    }

    public func createVolume(_ request: VolumeCreateRequest) async throws {
        _ = try createVolume(request) as Volume
    }

    public func createContainer(_ request: ContainerCreateRequest, name: String) async throws {
        _ = try create(request, name: name)
    }

    public func startContainer(_ name: String) async throws {
        try await start(name)
    }

    public func unpauseContainer(_ name: String) async throws {
        try pause(name, paused: false)
    }

    public func stopContainer(_ reference: String, timeout: Int?) async throws {
        try await stop(reference, timeout: timeout)
    }

    public func removeContainer(_ reference: String, volumes: Bool) async throws {
        try await remove(reference, force: true, volumes: volumes)
    }

    public func renameContainer(_ reference: String, to name: String) async throws {
        try rename(reference, to: name)
    }

    public func removeVolume(_ name: String) async throws {
        try removeVolume(name, force: false)
    }

    /// From the record alone (polled every 50 ms while a step waits): no config decode, no
    /// network settings as a full inspect would build.
    public func containerStatus(_ name: String) async -> DeploymentContainerStatus? {
        guard let record = try? record(name) else { return nil }
        return DeploymentContainerStatus(
            status: record.state.rawValue, exitCode: Int(record.exitCode ?? 0), health: health[record.id]?.status,
            labels: record.labels)
    }
}
