import APIClient
import ArgumentParser
import Foundation
import StackAPI

/// Runs one request per named container, printing the name on success as Docker does; the
/// status is 1 when any failed.
enum EachContainer {
    static func run(_ containers: [String], _ action: (APIClient, String) async throws -> Void) async throws {
        try await printing(containers) { client, container in
            try await action(client, container)
            return container
        }
    }

    /// The same, printing the line each action returns (`wait` prints exit statuses).
    static func printing(_ containers: [String], _ action: (APIClient, String) async throws -> String) async throws {
        var failed = false
        try await EngineConnection.with { client in
            for container in containers {
                do {
                    Output.line(try await action(client, container))
                } catch {
                    EngineConnection.report(error)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `stack container start`.
struct ContainerStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start stopped containers.")
    @Flag(name: .shortAndLong, help: "Attach stdout/stderr and forward signals.") var attach = false
    @Flag(name: .shortAndLong, help: "Attach the container's stdin.") var interactive = false
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        if attach || interactive, let container = containers.first {
            let status = try await EngineConnection.with { client in
                let inspect = try EngineConnection.decode(
                    ContainerInspect.self, try await client.request("GET", "/containers/\(container)/json"))
                return try await ContainerRun.attachAndWait(
                    client, id: inspect.id, tty: inspect.config.tty, stdin: interactive, start: true)
            }
            if status != 0 { throw ExitCode(status) }
            return
        }
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("POST", "/containers/\(container)/start")
        }
    }
}

/// `stack container stop`.
struct ContainerStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop running containers.")
    @Option(name: [.short, .customLong("time"), .customLong("timeout")], help: "Seconds to wait before killing.")
    var time: Int?
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        let time = self.time
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("POST", "/containers/\(container)/stop", query: time.map { [("t", "\($0)")] } ?? [])
        }
    }
}

/// `stack container restart`.
struct ContainerRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart containers.")
    @Option(name: [.short, .customLong("time"), .customLong("timeout")], help: "Seconds to wait before killing.")
    var time: Int?
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        let time = self.time
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request(
                "POST", "/containers/\(container)/restart", query: time.map { [("t", "\($0)")] } ?? [])
        }
    }
}

/// `stack container kill`.
struct ContainerKill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Kill running containers.")
    @Option(name: .shortAndLong, help: "Signal to send.") var signal = "KILL"
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        let signal = self.signal
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("POST", "/containers/\(container)/kill", query: [("signal", signal)])
        }
    }
}

/// `stack container pause`.
struct ContainerPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause all processes of containers.")
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("POST", "/containers/\(container)/pause")
        }
    }
}

/// `stack container unpause`.
struct ContainerUnpause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Unpause containers.")
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("POST", "/containers/\(container)/unpause")
        }
    }
}

/// `stack container rm`.
struct ContainerRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove containers.", aliases: ["remove"])
    @Flag(name: .shortAndLong, help: "Force the removal of a running container (SIGKILL).") var force = false
    @Flag(name: .shortAndLong, help: "Remove anonymous volumes of the container.") var volumes = false
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        let query = [("force", force ? "1" : "0"), ("v", volumes ? "1" : "0")]
        try await EachContainer.run(containers) { client, container in
            _ = try await client.request("DELETE", "/containers/\(container)", query: query)
        }
    }
}

/// `stack container wait`: print each container's exit status once it stops.
struct ContainerWait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for containers to stop, then print their exit codes.")
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        try await EachContainer.printing(containers) { client, container in
            let response = try await client.request("POST", "/containers/\(container)/wait")
            return String(try EngineConnection.decode(ContainerWaitResponse.self, response).statusCode)
        }
    }
}

/// `stack container rename`.
struct ContainerRename: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a container.")
    @Argument(help: "The container.") var container: String
    @Argument(help: "Its new name.") var newName: String

    func run() async throws {
        try await EngineConnection.with { client in
            _ = try await client.request("POST", "/containers/\(container)/rename", query: [("name", newName)])
        }
    }
}
