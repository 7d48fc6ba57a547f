import APIClient
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackModel

/// Hands a plan (`up`, `down`) to stackd, which journals it and carries it out: independent
/// steps in parallel, `depends_on` conditions waited for, finished after a crash of stackd. This
/// client builds every request first (a field the engine cannot honour fails before anything
/// changes) and prints progress as stackd reports it. The first failing step stops the plan; the
/// error names the step; what ran before stays running.
struct PlanExecutor {
    let client: APIClient
    let desired: DesiredState
    let project: Project
    /// Seconds between the stop signal and SIGKILL (nil: each container's own).
    var stopTimeout: Int?
    /// Remove anonymous volumes with the containers (`down -v`).
    var removeVolumes = false
    /// How long a `depends_on` condition may take (Compose waits without limit; we do not).
    var waitTimeout: Double = 300
    /// Progress lines (`✔ Container demo-web-1  Started`).
    var report: @Sendable (String) -> Void = { Output.line($0) }

    init(client: APIClient, desired: DesiredState, project: Project) {
        self.client = client
        self.desired = desired
        self.project = project
    }

    func run(_ plan: Plan) async throws {
        guard !plan.steps.isEmpty else { return }
        let request = try DeploymentBuilder.request(
            for: plan, desired: desired, project: project,
            options: DeploymentBuilder.Options(stopTimeout: stopTimeout, removeVolumes: removeVolumes, waitTimeout: waitTimeout))
        let stream = try await client.stream("POST", "/stack/deployments", body: try EngineConnection.encode(request))
        var lines = LineSplitter()
        var outcome: DeploymentProgress?
        let decoder = JSONDecoder()
        for try await chunk in stream {
            var parsed: [DeploymentProgress] = []
            lines.feed(chunk) { line in
                if let progress = try? decoder.decode(DeploymentProgress.self, from: Data(line)) { parsed.append(progress) }
            }
            for progress in parsed {
                if let message = progress.message { report(message) }
                if progress.finished { outcome = progress }
            }
        }
        guard let outcome else {
            throw StackError(.system, "stackd ended the deployment's answer early; it goes on in stackd (see `stack ps`)")
        }
        if let error = outcome.error { throw StackError(.system, error) }
    }

    /// Waits while stackd finishes an earlier deployment of the project (one a crash of stackd
    /// interrupted is finished when stackd starts again), so that the plan is made from what
    /// it leaves.
    static func awaitRunningDeployment(_ client: APIClient, project: String, timeout: Double = 600) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var announced = false
        while true {
            let journal = try EngineConnection.decode(
                [DeploymentSummary].self, try await client.request("GET", "/stack/deployments", query: [("project", project)]))
            guard let running = journal.first(where: { $0.state == "running" }) else { return }
            if !announced {
                Terminal.err("waiting for stackd to finish an earlier deployment of \(project) (\(running.doneSteps.count)/\(running.steps) steps done)\n")
                announced = true
            }
            if Date() > deadline {
                throw StackError(.conflict, "project \(project): deployment \(running.id) is still under way after \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 100_000_000)
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
}
