import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore

/// Runs one engine call per container, all at once (as Compose acts on a service's containers
/// in parallel), printing a progress line per container (`✔ Container demo-web-1  Stopped`).
/// A container whose call fails is reported with its name; the command then exits with 1.
enum ContainerActions {
    /// Apply `action` to every container in `containers` concurrently; `done` is the progress
    /// word ("Stopped"). Throws `ExitCode(1)` after all finished when any failed.
    static func run(
        _ client: APIClient, _ containers: [ContainerSummary], done: String,
        _ action: @escaping @Sendable (APIClient, ContainerSummary) async throws -> Void
    ) async throws {
        let failures = await withTaskGroup(of: Bool.self) { group in
            for container in containers {
                group.addTask {
                    let name = ProjectContainers.name(container)
                    do {
                        try await action(client, container)
                        Output.line("✔ Container \(name)  \(done)")
                        return true
                    } catch {
                        Terminal.err("✘ Container \(name)  Error: \(message(error))\n")
                        return false
                    }
                }
            }
            var failures = 0
            for await succeeded in group where !succeeded { failures += 1 }
            return failures
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The containers of `services` grouped in the waves of `order` (dependency order, or its
    /// reverse), leaving out waves with no container; `keep` filters containers by state.
    static func grouped(
        _ containers: [ContainerSummary], order: [[String]], keep: (ContainerSummary) -> Bool = { _ in true }
    ) -> [[ContainerSummary]] {
        order.map { wave in
            containers.filter { wave.contains($0.labels[ComposeLabel.service] ?? "") && keep($0) }
        }.filter { !$0.isEmpty }
    }

    /// An error's text without the client's wrapping (the daemon's message, or a StackError's).
    static func message(_ error: any Error) -> String {
        if let error = error as? APIClientError, case .server(_, let message) = error { return message }
        if let error = error as? StackError { return error.message }
        return "\(error)"
    }

    /// Whether the engine runs (or has paused) the container: what stop and kill act on.
    static func isUp(_ container: ContainerSummary) -> Bool {
        ["running", "paused", "restarting"].contains(container.state)
    }
}
