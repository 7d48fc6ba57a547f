import APIClient
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackModel

/// Waits until a service's `depends_on` conditions hold for the project's existing containers,
/// as `start` and `run` do before they start a service (`up` has the plan's own waits).
struct DependencyWait {
    let client: APIClient
    let project: String
    /// Seconds a condition may take (Compose waits without limit; we do not).
    var timeout: Double = 300

    /// Every wait in `waits` met: all containers of the dependency started, healthy, or exited
    /// with 0. A required dependency without containers is an error naming it; an optional one
    /// is skipped. A condition that can no longer be met fails at once.
    func satisfy(_ waits: [ServiceWait], for service: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        for wait in waits {
            let containers = try await ProjectContainers.list(client, project: project, all: true, services: [wait.service])
            if containers.isEmpty {
                guard wait.required else { continue }
                throw StackError(.notFound, "service \(service) depends on \(wait.service), which has no container")
            }
            for container in containers {
                let name = ProjectContainers.name(container)
                while try await !met(wait.condition, container.id, name: name) {
                    if Date() > deadline {
                        throw StackError(.conflict, "timed out waiting for \(name) (\(wait.condition.rawValue))")
                    }
                    try await Task.sleep(nanoseconds: 100_000_000)
                }
            }
        }
    }

    /// Whether the container meets `condition` now.
    private func met(_ condition: Dependency.Condition, _ id: String, name: String) async throws -> Bool {
        let state = try EngineConnection.decode(ContainerInspect.self, try await client.request("GET", "/containers/\(id)/json")).state
        let health = state.health?.status
        switch condition {
        case .serviceStarted:
            return state.running || state.status == "exited"
        case .serviceHealthy:
            if health == "unhealthy" || (state.status == "exited" && health != "healthy") {
                throw StackError(.conflict, "dependency \(name) is \(health ?? state.status)")
            }
            return health == "healthy" || (health == nil && state.running)
        case .serviceCompletedSuccessfully:
            guard state.status == "exited" else { return false }
            if state.exitCode != 0 { throw StackError(.conflict, "dependency \(name) exited with \(state.exitCode)") }
            return true
        }
    }
}
