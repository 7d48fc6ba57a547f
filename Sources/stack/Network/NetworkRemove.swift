import ArgumentParser
import Foundation
import StackAPI

/// `stack network rm`: each name printed once removed; failures reported, exit 1.
struct NetworkRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more networks.", aliases: ["remove"])
    @Flag(name: .shortAndLong, help: "Do not error if the network does not exist.") var force = false
    @Argument(help: "Networks.") var networks: [String]

    func run() async throws {
        var failed = false
        let force = self.force
        try await EngineConnection.with { client in
            for network in networks {
                do {
                    _ = try await client.request("DELETE", "/networks/\(network)")
                    Output.line(network)
                } catch {
                    if force, "\(error)".contains("not found") { continue }
                    EngineConnection.report(error)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `stack network prune`: user networks no container uses.
struct NetworkPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove all unused networks.")
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation (there is no prompt).") var force = false

    func run() async throws {
        let response = try await EngineConnection.with { client in
            try EngineConnection.decode(NetworkPruneResponse.self, try await client.request("POST", "/networks/prune"))
        }
        if !response.networksDeleted.isEmpty {
            Output.line("Deleted Networks:")
            for name in response.networksDeleted { Output.line(name) }
        }
    }
}

/// `stack network connect`.
struct NetworkConnect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connect", abstract: "Connect a container to a network.")
    @Option(name: .long, help: "IPv4 address (e.g. 172.30.100.104).") var ip: String?
    @Option(name: .long, help: "Add a network-scoped alias for the container.") var alias: [String] = []
    @Argument(help: "The network.") var network: String
    @Argument(help: "The container.") var container: String

    func run() async throws {
        var settings = EndpointSettings()
        if let ip { settings.ipamConfig = EndpointIPAMConfig(ipv4Address: ip) }
        if !alias.isEmpty { settings.aliases = alias }
        let body = NetworkConnectRequest(container: container, endpointConfig: settings)
        let network = self.network
        try await EngineConnection.with { client in
            _ = try await client.request("POST", "/networks/\(network)/connect", body: try EngineConnection.encode(body))
        }
    }
}

/// `stack network disconnect`.
struct NetworkDisconnect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disconnect", abstract: "Disconnect a container from a network.")
    @Flag(name: .shortAndLong, help: "Force the container to disconnect from a network.") var force = false
    @Argument(help: "The network.") var network: String
    @Argument(help: "The container.") var container: String

    func run() async throws {
        let body = NetworkDisconnectRequest(container: container, force: force)
        let network = self.network
        try await EngineConnection.with { client in
            _ = try await client.request("POST", "/networks/\(network)/disconnect", body: try EngineConnection.encode(body))
        }
    }
}
