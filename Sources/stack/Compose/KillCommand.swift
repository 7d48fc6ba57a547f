import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack kill [-s SIGNAL] [--remove-orphans] [SERVICE…]`: send a signal (SIGKILL by default)
/// to the services' running containers, all at once. Containers of services no longer in the
/// stack file are reported, and removed with `--remove-orphans`.
struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Force stop the services' containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Signal to send (name or number).") var signal = "SIGKILL"
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the stack file.")
    var removeOrphans = false
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let compose = try ComposeProject.load(global, services: services)
        try compose.check(services)
        let (signal, services, removeOrphans) = (self.signal, self.services, self.removeOrphans)
        let known = Set(compose.desired.services.map(\.name))
        try await EngineConnection.with { client in
            let all = try await ProjectContainers.list(client, project: compose.name, all: true)
            let orphans = all.filter { !known.contains($0.labels[ComposeLabel.service] ?? "") }
            let running = all.filter {
                known.contains($0.labels[ComposeLabel.service] ?? "") && ContainerActions.isUp($0)
                    && (services.isEmpty || services.contains($0.labels[ComposeLabel.service] ?? ""))
            }
            if running.isEmpty { Terminal.err("no container to kill\n") }
            try await ContainerActions.run(client, running, done: "Killed") { client, container in
                _ = try await client.request("POST", "/containers/\(container.id)/kill", query: [("signal", signal)])
            }
            guard !orphans.isEmpty else { return }
            let names = orphans.map(ProjectContainers.name)
            guard removeOrphans else {
                Terminal.err(
                    "warning: found orphan containers (\(names.joined(separator: ", "))) for this project; "
                        + "run with --remove-orphans to remove them\n")
                return
            }
            try await ContainerActions.run(client, orphans, done: "Removed") { client, container in
                _ = try await client.request("DELETE", "/containers/\(container.id)", query: [("force", "1")])
            }
        }
    }
}
