import ArgumentParser
import Foundation
import StackAPI

/// `stack container logs`: the json-file log, followed with `-f` until the container stops.
struct ContainerLogs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Fetch the logs of a container.")
    @Flag(name: .shortAndLong, help: "Follow log output.") var follow = false
    @Option(name: [.customShort("n"), .customLong("tail")], help: "Number of lines to show from the end (default all).") var tail = "all"
    @Flag(name: .shortAndLong, help: "Show timestamps.") var timestamps = false
    @Option(name: .long, help: "Show logs since a timestamp or a relative time (e.g. 42m).") var since: String?
    @Option(name: .long, help: "Show logs before a timestamp or a relative time.") var until: String?
    @Argument(help: "The container.") var container: String

    func run() async throws {
        var query = [("stdout", "1"), ("stderr", "1"), ("follow", follow ? "1" : "0"), ("tail", tail),
            ("timestamps", timestamps ? "1" : "0")]
        if let since { query.append(("since", since)) }
        if let until { query.append(("until", until)) }
        try await EngineConnection.with { client in
            let inspect = try EngineConnection.decode(
                ContainerInspect.self, try await client.request("GET", "/containers/\(container)/json"))
            let stream = try await client.stream("GET", "/containers/\(inspect.id)/logs", query: query)
            var demuxer = StreamDemuxer()
            for try await chunk in stream {
                if inspect.config.tty {
                    Output.write(1, chunk)
                } else {
                    demuxer.feed(chunk) { stream, bytes in Output.write(stream == 2 ? 2 : 1, bytes) }
                }
            }
        }
    }
}

/// `stack container attach`: the running container's output (and stdin) here.
struct ContainerAttach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach to a running container's input and output.")
    @Flag(name: .customLong("no-stdin"), help: "Do not attach stdin.") var noStdin = false
    @Argument(help: "The container.") var container: String

    func run() async throws {
        let status = try await EngineConnection.with { client in
            let inspect = try EngineConnection.decode(
                ContainerInspect.self, try await client.request("GET", "/containers/\(container)/json"))
            return try await ContainerRun.attachAndWait(
                client, id: inspect.id, tty: inspect.config.tty, stdin: !noStdin && inspect.config.openStdin, start: false)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `stack container exec`: run a command in a running container; its exit status is ours.
struct ContainerExec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a running container.", helpNames: [.long])
    @Flag(name: .shortAndLong, help: "Keep STDIN open.") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY.") var tty = false
    @Flag(name: .shortAndLong, help: "Detached mode: run the command in the background.") var detach = false
    @Option(name: .shortAndLong, help: "Set environment variables.") var env: [String] = []
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Option(name: .shortAndLong, help: "Username or UID (format: <name|uid>[:<group|gid>]).") var user: String?
    @Flag(name: .long, help: "Give extended privileges to the command.") var privileged = false
    @Argument(help: "The container.") var container: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run() async throws {
        guard !command.isEmpty else { throw ValidationError("exec needs a command") }
        let environment = ProcessInfo.processInfo.environment
        let env = self.env.map { item in
            item.contains("=") ? item : environment[item].map { "\(item)=\($0)" } ?? item
        }
        let request = ExecRequest(
            cmd: command, env: env, workingDir: workdir, user: user, tty: tty, attachStdin: interactive,
            detach: detach, privileged: privileged,
            consoleSize: tty ? (TerminalMode.size(1) ?? TerminalMode.size(0)).map { [$0.rows, $0.columns] } : nil)
        let detach = self.detach
        let tty = self.tty
        let interactive = self.interactive
        let status: Int32 = try await EngineConnection.with(failureStatus: 126) { client in
            let created = try await client.request("POST", "/containers/\(container)/exec", json: request)
            guard let id = (try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["Id"] as? String else {
                throw ValidationError("the daemon's exec answer has no Id")
            }
            if detach {
                _ = try await client.request("POST", "/exec/\(id)/start", json: ["Detach": true])
                return 0
            }
            let terminal = tty && isatty(0) == 1 ? TerminalMode.makeRaw(0) : nil
            defer { terminal?.restore() }
            try await client.upgrade("POST", "/exec/\(id)/start", body: try JSONEncoder().encode(["Tty": tty])) { connection in
                if tty {
                    try await connection.relay(input: interactive ? 0 : nil, output: 1)
                } else {
                    try await ContainerRun.relayFramed(connection, stdin: interactive)
                }
            }
            terminal?.restore()
            let inspect = try await client.request("GET", "/exec/\(id)/json")
            let object = try JSONSerialization.jsonObject(with: inspect.body) as? [String: Any]
            return Int32((object?["ExitCode"] as? Int) ?? 126)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `stack container top`.
struct ContainerTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Display the running processes of a container.")
    @Argument(help: "The container.") var container: String

    func run() async throws {
        let top = try await EngineConnection.with { client in
            try EngineConnection.decode(ContainerTopResponse.self, try await client.request("GET", "/containers/\(container)/top"))
        }
        Table.print([top.titles] + top.processes)
    }
}

/// `stack container stats`: a table of readings, refreshed until interrupted (or once with `--no-stream`).
struct ContainerStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Display a live stream of containers' resource usage.")
    @Flag(name: .customLong("no-stream"), help: "Print one reading and exit.") var noStream = false
    @Argument(help: "Containers (default: all running).") var containers: [String] = []

    func run() async throws {
        let containers = self.containers
        repeat {
            let samples: [ContainerStatsSample] = try await EngineConnection.with { client in
                var names = containers
                if names.isEmpty {
                    names = try EngineConnection.decode(
                        [ContainerSummary].self, try await client.request("GET", "/containers/json")).map(\.id)
                }
                var result: [ContainerStatsSample] = []
                for name in names {
                    result.append(
                        try EngineConnection.decode(
                            ContainerStatsSample.self,
                            try await client.request("GET", "/containers/\(name)/stats", query: [("stream", "0")])))
                }
                return result
            }
            if !noStream { Output.write(1, Array("\u{1B}[2J\u{1B}[H".utf8)) }
            Table.print(Self.rows(samples))
        } while !noStream
    }

    static func rows(_ samples: [ContainerStatsSample]) -> [[String]] {
        var rows = [["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS"]]
        for sample in samples {
            let memoryPercent = sample.memoryLimit > 0 ? Double(sample.memoryUsage) / Double(sample.memoryLimit) * 100 : 0
            rows.append([
                String(sample.id.prefix(12)), sample.name.hasPrefix("/") ? String(sample.name.dropFirst()) : sample.name,
                String(format: "%.2f%%", sample.cpuPercent),
                "\(Bytes.human(sample.memoryUsage)) / \(Bytes.human(sample.memoryLimit))",
                String(format: "%.2f%%", memoryPercent), String(sample.pids),
            ])
        }
        return rows
    }
}

/// Binary byte sizes as docker stats prints them (`1.5MiB`).
enum Bytes {
    static func human(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var size = Double(value)
        var unit = 0
        while size >= 1024 && unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value)B" : String(format: "%.2f%@", size, units[unit])
    }
}
