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
    /// to `services` when given; one-off containers only with `oneOffs` (`top` shows them).
    static func list(_ client: APIClient, project: String, all: Bool, services: [String] = [], oneOffs: Bool = false)
        async throws -> [ContainerSummary]
    {
        let summaries = try EngineConnection.decode(
            [ContainerSummary].self, try await client.request("GET", "/containers/json", query: [("all", all ? "1" : "0")]))
        return summaries.filter {
            $0.labels[ComposeLabel.project] == project && (oneOffs || !isOneOff($0))
                && (services.isEmpty || services.contains($0.labels[ComposeLabel.service] ?? ""))
        }.sorted {
            let a = ($0.labels[ComposeLabel.service] ?? "", Int($0.labels[ComposeLabel.containerNumber] ?? "") ?? 0)
            let b = ($1.labels[ComposeLabel.service] ?? "", Int($1.labels[ComposeLabel.containerNumber] ?? "") ?? 0)
            return a < b
        }
    }

    /// A `run` container (`com.docker.compose.oneoff=True`).
    static func isOneOff(_ summary: ContainerSummary) -> Bool {
        summary.labels[ComposeLabel.oneOff]?.lowercased() == "true"
    }

    static func name(_ summary: ContainerSummary) -> String {
        summary.names.first.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? String(summary.id.prefix(12))
    }
}
