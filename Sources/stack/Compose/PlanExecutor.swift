import APIClient
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackModel

/// Carries out an `up` plan against stackd, one step at a time in the plan's order (a valid
/// order of its graph), waiting for `depends_on` conditions before starts. The first failing
/// step stops it; the error names the step. What ran before stays running.
struct PlanExecutor {
    let client: APIClient
    let desired: DesiredState
    let project: Project
    /// Seconds between the stop signal and SIGKILL (nil: each container's own).
    var stopTimeout: Int?
    /// How long a `depends_on` condition may take (Compose waits without limit; we do not).
    var waitTimeout: Double = 300
    /// Progress lines (`✔ Container demo-web-1  Started`).
    var report: (String) -> Void = { Output.line($0) }

    /// Container ids by name as the plan creates them (temporary names of recreates included).
    private final class Names: @unchecked Sendable { var ids: [String: String] = [:] }
    private let names = Names()

    init(client: APIClient, desired: DesiredState, project: Project) {
        self.client = client
        self.desired = desired
        self.project = project
    }

    func run(_ plan: Plan) async throws {
        for step in plan.steps {
            do {
                try await perform(step)
            } catch {
                throw StackError(.system, "step \(step.line): \(Self.message(error))")
            }
        }
    }

    private func perform(_ step: PlanStep) async throws {
        switch step.action {
        case .createNetwork(let network):
            let request = try ServiceRequests.network(for: network, definition: project.networks.first { $0.key == network.key })
            _ = try await client.request("POST", "/networks/create", body: try EngineConnection.encode(request))
            report("✔ Network \(network.name)  Created")
        case .createVolume(let volume):
            let request = try ServiceRequests.volume(for: volume, definition: project.volumes.first { $0.key == volume.key })
            _ = try await client.request("POST", "/volumes/create", body: try EngineConnection.encode(request))
            report("✔ Volume \(volume.name)  Created")
        case .createContainer(let container, let temporaryName):
            guard let service = desired.service(named: container.service) else {
                throw StackError(.internalError, "no service \(container.service) in the desired state")
            }
            let (name, request) = try ServiceRequests.container(for: service, number: container.number, desired: desired)
            let createName = temporaryName ?? name
            let response = try EngineConnection.decode(
                ContainerCreateResponse.self,
                try await client.request(
                    "POST", "/containers/create", query: [("name", createName)], body: try EngineConnection.encode(request)))
            names.ids[createName] = response.id
            report("✔ Container \(container.name)  \(temporaryName == nil ? "Created" : "Recreated")")
        case .startContainer(let name):
            for wait in step.waits { try await satisfy(wait) }
            _ = try await client.request("POST", "/containers/\(name)/start")
            report("✔ Container \(name)  Started")
        case .unpauseContainer(let name):
            _ = try await client.request("POST", "/containers/\(name)/unpause")
        case .stopContainer(let name, let id):
            _ = try await client.request("POST", "/containers/\(id)/stop", query: stopTimeout.map { [("t", "\($0)")] } ?? [])
            report("✔ Container \(name)  Stopped")
        case .removeContainer(let name, let id):
            _ = try await client.request("DELETE", "/containers/\(id)", query: [("force", "1")])
            report("✔ Container \(name)  Removed")
        case .renameContainer(let from, let to):
            _ = try await client.request("POST", "/containers/\(from)/rename", query: [("name", to)])
        case .removeNetwork(let name):
            _ = try await client.request("DELETE", "/networks/\(name)")
            report("✔ Network \(name)  Removed")
        case .removeVolume(let name):
            _ = try await client.request("DELETE", "/volumes/\(name)")
            report("✔ Volume \(name)  Removed")
        }
    }

    /// `up --wait`: every service's containers running (healthy when they have a healthcheck),
    /// one-shots (restart "no") exited with 0; within `timeout` seconds.
    func waitForStack(timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        for service in desired.services {
            for container in service.containers {
                while true {
                    let state = try await self.state(container.name)
                    if state.status == "exited" {
                        guard service.isOneShot, state.exitCode == 0 else {
                            throw StackError(.conflict, "--wait: \(container.name) exited with \(state.exitCode)")
                        }
                        break
                    }
                    if state.health == "unhealthy" { throw StackError(.conflict, "--wait: \(container.name) is unhealthy") }
                    if state.running && (state.health == nil || state.health == "healthy") { break }
                    if Date() > deadline {
                        throw StackError(.conflict, "--wait: \(container.name) is not running and healthy after \(Int(timeout)) s")
                    }
                    try await Task.sleep(nanoseconds: 100_000_000)
                }
            }
        }
    }

    /// Wait until every container of `wait.service` meets the condition (an optional
    /// dependency without containers is skipped).
    private func satisfy(_ wait: ServiceWait) async throws {
        guard let service = desired.service(named: wait.service) else {
            if wait.required { throw StackError(.notFound, "dependency \(wait.service) is not in the project") }
            return
        }
        let deadline = Date().addingTimeInterval(waitTimeout)
        for container in service.containers {
            while try await !met(wait.condition, container.name) {
                if Date() > deadline {
                    throw StackError(.conflict, "timed out waiting for \(container.name) (\(wait.condition.rawValue))")
                }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
        }
    }

    /// Whether `name` meets `condition` now; a condition that can no longer be met is an error.
    private func met(_ condition: Dependency.Condition, _ name: String) async throws -> Bool {
        let state = try await self.state(name)
        switch condition {
        case .serviceStarted:
            return state.running || state.status == "exited"
        case .serviceHealthy:
            if state.health == "unhealthy" || (state.status == "exited" && state.health != "healthy") {
                throw StackError(.conflict, "dependency \(name) is \(state.health ?? state.status)")
            }
            // Without a healthcheck, running is as healthy as it gets.
            return state.health == "healthy" || (state.health == nil && state.running)
        case .serviceCompletedSuccessfully:
            guard state.status == "exited" else { return false }
            if state.exitCode != 0 { throw StackError(.conflict, "dependency \(name) exited with \(state.exitCode)") }
            return true
        }
    }

    private struct State {
        var status: String
        var running: Bool
        var exitCode: Int
        var health: String?
    }

    private func state(_ name: String) async throws -> State {
        let inspect = try EngineConnection.decode(ContainerInspect.self, try await client.request("GET", "/containers/\(name)/json"))
        return State(
            status: inspect.state.status, running: inspect.state.running, exitCode: Int(inspect.state.exitCode),
            health: inspect.state.health?.status)
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? APIClientError, case .server(_, let message) = error { return message }
        if let error = error as? StackError { return error.message }
        return "\(error)"
    }
}
