import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack top [SERVICE…]`: the processes of the services' running containers in one table,
/// each row led by its service and replica number (Compose's `SERVICE  #` columns), CMD last.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Display the running processes.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let project = try ProjectContainers.projectName(global)
        let services = self.services
        let tops: [(ContainerSummary, ContainerTopResponse)] = try await EngineConnection.with { client in
            let running = try await ProjectContainers.list(client, project: project, all: false, services: services, oneOffs: true)
            return try await withThrowingTaskGroup(of: (ContainerSummary, ContainerTopResponse).self) { group in
                for container in running {
                    group.addTask {
                        let response = try await client.request("GET", "/containers/\(container.id)/top")
                        return (container, try EngineConnection.decode(ContainerTopResponse.self, response))
                    }
                }
                var result: [(ContainerSummary, ContainerTopResponse)] = []
                for try await item in group { result.append(item) }
                return result.sorted { ProjectContainers.name($0.0) < ProjectContainers.name($1.0) }
            }
        }
        let rows = Self.table(tops.map { (service: $0.0.labels[ComposeLabel.service] ?? "", number: $0.0.labels[ComposeLabel.containerNumber] ?? "", top: $0.1) })
        if rows.count > 1 { Table.print(rows) }
    }

    /// The table: a header of `SERVICE`, `#` and every process column seen (CMD moved last),
    /// then one row per process ("-" where a container's listing lacks a column).
    static func table(_ containers: [(service: String, number: String, top: ContainerTopResponse)]) -> [[String]] {
        var titles: [String] = []
        for container in containers {
            for title in container.top.titles where !titles.contains(title) { titles.append(title) }
        }
        if let index = titles.firstIndex(of: "CMD") { titles.append(titles.remove(at: index)) }
        var rows = [["SERVICE", "#"] + titles]
        for container in containers {
            for process in container.top.processes {
                let cells = titles.map { title in
                    container.top.titles.firstIndex(of: title).flatMap { $0 < process.count ? process[$0] : nil } ?? "-"
                }
                rows.append([container.service, container.number] + cells)
            }
        }
        return rows
    }
}
