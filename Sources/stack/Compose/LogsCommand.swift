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
            let width = containers.map { ProjectContainers.name($0).count }.max() ?? 0
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, summary) in containers.enumerated() {
                    let name = ProjectContainers.name(summary)
                    let padded = name + String(repeating: " ", count: width - name.count)
                    let prefix = noLogPrefix ? "" : (colour ? "\u{1B}[3\(index % 6 + 1)m\(padded) |\u{1B}[0m " : "\(padded) | ")
                    group.addTask {
                        let inspect = try EngineConnection.decode(
                            ContainerInspect.self, try await client.request("GET", "/containers/\(summary.id)/json"))
                        let stream = try await client.stream("GET", "/containers/\(summary.id)/logs", query: logQuery)
                        var demuxer = StreamDemuxer()
                        var lines = [LineSplitter(), LineSplitter()]
                        for try await chunk in stream {
                            if inspect.config.tty {
                                lines[0].feed(chunk) { Output.write(1, Array(prefix.utf8) + $0) }
                            } else {
                                demuxer.feed(chunk) { stream, bytes in
                                    let fd: Int32 = stream == 2 ? 2 : 1
                                    lines[Int(fd) - 1].feed(Array(bytes)) { Output.write(fd, Array(prefix.utf8) + $0) }
                                }
                            }
                        }
                        for fd: Int32 in [1, 2] { lines[Int(fd) - 1].flush { Output.write(fd, Array(prefix.utf8) + $0 + [10]) } }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

/// Cuts a byte stream into whole lines (newline included), so prefixes land at line starts and
/// lines of different containers do not interleave mid-line.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8], _ emit: ([UInt8]) -> Void) {
        pending += bytes
        while let newline = pending.firstIndex(of: 10) {
            emit(Array(pending[...newline]))
            pending.removeSubrange(...newline)
        }
    }

    mutating func flush(_ emit: ([UInt8]) -> Void) {
        if !pending.isEmpty { emit(pending) }
        pending = []
    }
}
