import ArgumentParser
import Foundation
import StackAPI
import StackCore

/// `stack container ls`: Docker's table, ids only (`-q`), or one JSON object per line (`--format json`).
struct ContainerList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List containers.", aliases: ["ps", "list"])

    @Flag(name: .shortAndLong, help: "Show all containers (default shows just running).") var all = false
    @Flag(name: .shortAndLong, help: "Only display container ids.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output.") var noTrunc = false
    @Option(name: .long, help: "Output format: table or json.") var format = "table"

    func run() async throws {
        guard format == "table" || format == "json" else {
            throw ValidationError("--format must be table or json")
        }
        let all = self.all
        let containers = try await EngineConnection.with { client in
            try EngineConnection.decode(
                [ContainerSummary].self, try await client.request("GET", "/containers/json", query: [("all", all ? "1" : "0")]))
        }
        let now = Date().timeIntervalSince1970
        if quiet {
            for container in containers { Output.line(noTrunc ? container.id : String(container.id.prefix(12))) }
            return
        }
        if format == "json" {
            for container in containers { Output.line(Self.json(container, now: now)) }
            return
        }
        var rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]]
        for container in containers {
            var command = container.command
            if !noTrunc && command.count > 20 { command = String(command.prefix(19)) + "…" }
            rows.append([
                noTrunc ? container.id : String(container.id.prefix(12)), container.image, "\"\(command)\"",
                Self.ago(now - Double(container.created)), container.status, container.ports.map(\.text).joined(separator: ", "),
                container.names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }.joined(separator: ","),
            ])
        }
        Table.print(rows)
    }

    /// `3 seconds ago`, as docker prints CREATED.
    static func ago(_ seconds: Double) -> String { HumanDuration.text(seconds: seconds) + " ago" }

    static func json(_ container: ContainerSummary, now: Double) -> String {
        let object: [String: Any] = [
            "ID": container.id, "Names": container.names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
                .joined(separator: ","),
            "Image": container.image, "ImageID": container.imageID, "Command": container.command,
            "CreatedAt": DockerTime.text(Double(container.created)),
            "RunningFor": ago(now - Double(container.created)), "State": container.state, "Status": container.status,
            "ExitCode": container.exitCode, "Ports": container.ports.map(\.text).joined(separator: ", "),
            "Networks": container.networks.joined(separator: ","),
            "Labels": container.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Columns padded to their widest cell, three spaces apart, as Docker's tables.
enum Table {
    static func print(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 3) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            Output.line(line)
        }
    }
}
