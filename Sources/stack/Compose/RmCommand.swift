import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack rm [-f] [-s] [-v] [SERVICE…]`: remove the services' stopped containers (`-s` stops
/// them first). Without `-f` it asks "Going to remove …" first — on a terminal, or by reading
/// one line of stdin otherwise, as Compose (no answer removes nothing). `-v` also removes the
/// containers' anonymous volumes.
struct RmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove the services' stopped containers.")

    @OptionGroup var stackFile: LongGlobalOptions
    @Flag(name: .shortAndLong, help: "Don't ask to confirm removal.") var force = false
    @Flag(name: .shortAndLong, help: "Stop the containers first if needed.") var stop = false
    @Flag(name: .shortAndLong, help: "Remove anonymous volumes attached to the containers.") var volumes = false
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let compose = try ComposeProject.load(try stackFile.global(), services: services)
        try compose.check(services)
        let (force, stop, services) = (self.force, self.stop, self.services)
        let query = [("force", force ? "1" : "0"), ("v", volumes ? "1" : "0")]
        let known = Set(compose.desired.services.map(\.name))
        try await EngineConnection.with { client in
            if stop {
                let order = Array(compose.waves(compose.selection(services, dependencies: false)).reversed())
                try await StopCommand.stop(client, project: compose.name, order: order, timeout: nil)
            }
            let stopped = try await ProjectContainers.list(client, project: compose.name, all: true, services: services)
                .filter { known.contains($0.labels[ComposeLabel.service] ?? "") && !ContainerActions.isUp($0) }
            guard !stopped.isEmpty else {
                Terminal.err("No stopped containers\n")
                return
            }
            let question = "Going to remove " + stopped.map(ProjectContainers.name).joined(separator: ", ")
            if force {
                Output.line(question)
            } else if !Confirmation.ask(question) {
                return
            }
            try await ContainerActions.run(client, stopped, done: "Removed") { client, container in
                _ = try await client.request("DELETE", "/containers/\(container.id)", query: query)
            }
        }
    }
}
