import APIClient
import Foundation
import Reconciler
import StackAPI

/// Stops (or kills) a project's running containers the way `up` in the foreground ends:
/// services in reverse dependency order — a service only once every service depending on it has
/// stopped — the containers of one wave in parallel. Containers are stopped, not removed.
struct ProjectStopper: Sendable {
    let client: APIClient
    let project: String
    /// Services in dependency order with what each depends on (depends_on, volumes_from,
    /// network_mode: service:).
    let services: [(name: String, needs: [String])]
    /// Seconds between the stop signal and SIGKILL (`-t`); nil: each container's own
    /// (`stop_grace_period`).
    var timeout: Int?

    init(client: APIClient, desired: DesiredState, timeout: Int?) {
        self.client = client
        self.project = desired.project
        self.services = desired.services.map { ($0.name, $0.needs) }
        self.timeout = timeout
    }

    /// The services in stop waves: first those nobody depends on, then those whose dependents
    /// are all in earlier waves.
    var waves: [[String]] { Self.waves(services) }

    /// `services` (dependency order, with what each needs) in stop waves.
    static func waves(_ services: [(name: String, needs: [String])]) -> [[String]] {
        let names = Set(services.map(\.name))
        var dependents: [String: Set<String>] = [:]
        for service in services {
            for need in service.needs where names.contains(need) && need != service.name {
                dependents[need, default: []].insert(service.name)
            }
        }
        var waves: [[String]] = []
        var done: Set<String> = []
        var left = services.map(\.name)
        while !left.isEmpty {
            var wave = left.filter { (dependents[$0] ?? []).isSubset(of: done) }
            // A cycle cannot load; should one get here, the rest goes together.
            if wave.isEmpty { wave = left }
            waves.append(wave)
            done.formUnion(wave)
            left.removeAll { wave.contains($0) }
        }
        return waves
    }

    /// Stop every running (or paused, or restarting) container of the project's services, wave
    /// by wave (`stack stop`'s way). Failures are reported per container and do not stop the others.
    func stop() async {
        try? await StopCommand.stop(client, project: project, order: waves, timeout: timeout)
    }

    /// SIGKILL every container of the project's services that still runs, all at once.
    func kill() async {
        let containers = (try? await ProjectContainers.list(client, project: project, all: false)) ?? []
        let names = Set(services.map(\.name))
        await withTaskGroup(of: Void.self) { group in
            for summary in containers where names.contains(summary.labels[ComposeLabel.service] ?? "") {
                let name = ProjectContainers.name(summary)
                group.addTask {
                    do {
                        _ = try await client.request("POST", "/containers/\(summary.id)/kill", query: [("signal", "KILL")])
                        Output.line("✔ Container \(name)  Killed")
                    } catch {
                        // Stopped meanwhile: nothing left to kill.
                        if case .server(let status, _)? = error as? APIClientError, status == 409 || status == 404 { return }
                        Terminal.err("stack: killing \(name): \(ContainerActions.message(error))\n")
                    }
                }
            }
        }
    }
}
