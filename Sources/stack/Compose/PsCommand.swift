import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack ps`: the project's containers — a table, ids (`-q`), service names (`--services`), or
/// one JSON array (`--format json`) with Compose's keys.
struct PsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the stack's containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show all containers (also stopped ones).") var all = false
    @Flag(name: .shortAndLong, help: "Only display ids.") var quiet = false
    @Flag(name: .long, help: "Display services.") var services = false
    @Option(name: .long, help: "Filter by state (created, running, exited, paused, restarting…).") var status: [String] = []
    @Option(name: .long, help: "table or json.") var format = "table"
    @Argument(help: "Services.") var serviceNames: [String] = []

    func run() async throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        let project = try ProjectContainers.projectName(global)
        let (all, statuses, names, format, quiet, services) = (self.all || !status.isEmpty, status, serviceNames, format, quiet, self.services)
        try await EngineConnection.with { client in
            var rows: [[String: Any]] = []
            for summary in try await ProjectContainers.list(client, project: project, all: all, services: names)
            where statuses.isEmpty || statuses.contains(summary.state) {
                let inspect = try EngineConnection.decode(
                    ContainerInspect.self, try await client.request("GET", "/containers/\(summary.id)/json"))
                var status = summary.status
                let nextRestart = inspect.state.nextRestartAt ?? ""
                if let due = RFC3339Text.parse(nextRestart) {
                    let seconds = max(0, due - Date().timeIntervalSince1970)
                    status = "Restarting (\(inspect.state.exitCode)), next attempt in " + String(format: "%.1fs", seconds)
                }
                rows.append([
                    "ID": summary.id, "Name": ProjectContainers.name(summary), "Image": summary.image,
                    "Command": summary.command, "Project": project,
                    "Service": summary.labels[ComposeLabel.service] ?? "", "State": summary.state,
                    "Status": status, "Health": inspect.state.health?.status ?? "", "NextRestart": nextRestart,
                    "ExitCode": summary.exitCode, "RestartCount": inspect.restartCount,
                    "Created": summary.created, "Labels": summary.labels,
                    "Publishers": summary.ports.map {
                        ["URL": $0.ip, "TargetPort": Int($0.privatePort), "PublishedPort": Int($0.publicPort ?? 0), "Protocol": $0.type]
                    },
                    "Networks": summary.networks, "Ports": summary.ports.map(\.text).joined(separator: ", "),
                ])
            }
            if quiet {
                for row in rows { Output.line(row["ID"] as? String ?? "") }
            } else if services {
                for name in Set(rows.compactMap { $0["Service"] as? String }).sorted() { Output.line(name) }
            } else if format == "json" {
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])
                Output.line(String(decoding: data, as: UTF8.self))
            } else {
                var table = [["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]]
                let now = Date().timeIntervalSince1970
                for row in rows {
                    var command = row["Command"] as? String ?? ""
                    if command.count > 20 { command = String(command.prefix(19)) + "…" }
                    table.append([
                        row["Name"] as? String ?? "", row["Image"] as? String ?? "", "\"\(command)\"",
                        row["Service"] as? String ?? "",
                        ContainerList.ago(now - Double(row["Created"] as? Int64 ?? 0)), row["Status"] as? String ?? "",
                        row["Ports"] as? String ?? "",
                    ])
                }
                Table.print(table)
            }
        }
    }
}
