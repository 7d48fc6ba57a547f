import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackFile

/// The containers of the stack file's project, as the service commands (`ps`, `logs`) see them:
/// found by their `com.docker.compose.project` label, one-off (`run`) containers left out.
enum ProjectContainers {
    /// The project's name from the stack file (or `-p`).
    static func projectName(_ global: GlobalOptions) throws -> String {
        do {
            return try StackLoader().resolve(global.loadOptions(interpolate: true)).name
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
    }

    /// Containers of `project` (all, or only running), sorted by service and number; restricted
    /// to `services` when given.
    static func list(_ client: APIClient, project: String, all: Bool, services: [String] = []) async throws
        -> [ContainerSummary]
    {
        let summaries = try EngineConnection.decode(
            [ContainerSummary].self, try await client.request("GET", "/containers/json", query: [("all", all ? "1" : "0")]))
        return summaries.filter {
            $0.labels[ComposeLabel.project] == project && $0.labels[ComposeLabel.oneOff]?.lowercased() != "true"
                && (services.isEmpty || services.contains($0.labels[ComposeLabel.service] ?? ""))
        }.sorted {
            let a = ($0.labels[ComposeLabel.service] ?? "", Int($0.labels[ComposeLabel.containerNumber] ?? "") ?? 0)
            let b = ($1.labels[ComposeLabel.service] ?? "", Int($1.labels[ComposeLabel.containerNumber] ?? "") ?? 0)
            return a < b
        }
    }

    static func name(_ summary: ContainerSummary) -> String {
        summary.names.first.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? String(summary.id.prefix(12))
    }
}
