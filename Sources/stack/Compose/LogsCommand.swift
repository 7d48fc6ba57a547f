import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import Synchronization

/// `stack logs [SERVICE…]`: the logs of the project's containers, each line prefixed with the
/// container's name (coloured on a terminal), followed with `-f` until they stop.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "View output from the stack's containers.")

    @OptionGroup var global: GlobalOptions
    /// `-f` after `logs` reaches here as --follow (GlobalArgumentOrder), as -f is the stack file.
    @Flag(name: .customLong("follow"), help: "Follow log output (-f after `logs`).") var follow = false
    @Option(name: [.customShort("n"), .customLong("tail")], help: "Number of lines from the end of each log (default all).")
    var tail = "all"
    @Flag(name: .shortAndLong, help: "Show timestamps.") var timestamps = false
    @Option(name: .long, help: "Show logs since a timestamp or a relative time (e.g. 42m).") var since: String?
    @Flag(name: .customLong("no-log-prefix"), help: "Don't print the prefix in logs.") var noLogPrefix = false
    @Flag(name: .customLong("no-color"), help: "Produce monochrome output.") var noColor = false
    @Argument(help: "Services.") var services: [String] = []

    func run() async throws {
        let project = try ProjectContainers.projectName(global)
        var query = [("stdout", "1"), ("stderr", "1"), ("follow", follow ? "1" : "0"), ("tail", tail),
            ("timestamps", timestamps ? "1" : "0")]
        if let since { query.append(("since", since)) }
        let (services, noLogPrefix, logQuery) = (self.services, self.noLogPrefix, query)
        let colour = !noColor && isatty(1) != 0
        try await EngineConnection.with { client in
            let containers = try await ProjectContainers.list(client, project: project, all: true, services: services)
            let prefix = LogPrefix(
                width: containers.map { ProjectContainers.name($0).count }.max() ?? 0, colour: colour, none: noLogPrefix)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, summary) in containers.enumerated() {
                    let label = prefix.bytes(name: ProjectContainers.name(summary), index: index)
                    group.addTask {
                        let inspect = try EngineConnection.decode(
                            ContainerInspect.self, try await client.request("GET", "/containers/\(summary.id)/json"))
                        try await ContainerLogLines.stream(client, id: summary.id, tty: inspect.config.tty, query: logQuery) {
                            Output.write($0, label + $1)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
