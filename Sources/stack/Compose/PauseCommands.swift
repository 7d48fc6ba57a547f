import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack pause [SERVICE…]`: freeze the processes of the services' running containers.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause the services' containers.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        try await PauseCommand.apply(global, services, from: "running", path: "pause", done: "Paused")
    }

    /// Apply `path` (pause or unpause) to the services' containers in state `from`, all at once.
    static func apply(_ global: GlobalOptions, _ services: [String], from: String, path: String, done: String) async throws {
        let compose = try ComposeProject.load(global, services: services)
        try compose.check(services)
        try await EngineConnection.with { client in
            let containers = try await ProjectContainers.list(client, project: compose.name, all: true, services: services)
            try await ContainerActions.run(client, containers.filter { $0.state == from }, done: done) { client, container in
                _ = try await client.request("POST", "/containers/\(container.id)/\(path)")
            }
        }
    }
}

/// `stack unpause [SERVICE…]`: resume the services' paused containers.
struct UnpauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Unpause the services' containers.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        try await PauseCommand.apply(global, services, from: "paused", path: "unpause", done: "Unpaused")
    }
}
