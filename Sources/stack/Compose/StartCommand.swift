import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore

/// `stack start [SERVICE…]`: start the existing containers of the services and of what they
/// depend on, in dependency order (a service's `depends_on` conditions met first); a selected
/// service without a container is an error naming it (`up` creates containers, `start` does not).
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the services' existing containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("wait-timeout"), help: "Seconds to wait for a dependency's condition.") var waitTimeout = 300
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let compose = try ComposeProject.load(global, services: services)
        try compose.check(services)
        let waves = compose.waves(compose.selection(services, dependencies: true))
        let timeout = Double(waitTimeout)
        try await EngineConnection.with { client in
            let containers = try await ProjectContainers.list(client, project: compose.name, all: true)
            for service in waves.joined() where !containers.contains(where: { $0.labels[ComposeLabel.service] == service }) {
                // As Compose: a service scaled to 0 has nothing to start; any other must have been created.
                guard compose.desired.service(named: service)?.replicas == 0 else {
                    throw StackError(.notFound, "service \"\(service)\" has no container to start")
                }
            }
            let waiter = DependencyWait(client: client, project: compose.name, timeout: timeout)
            for wave in waves {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for service in wave {
                        let waits = compose.desired.service(named: service)?.waits ?? []
                        let mine = containers.filter {
                            $0.labels[ComposeLabel.service] == service && !["running", "restarting"].contains($0.state)
                        }
                        group.addTask {
                            try await waiter.satisfy(waits, for: service)
                            try await ContainerActions.run(client, mine, done: "Started") { client, container in
                                let path = container.state == "paused" ? "unpause" : "start"
                                _ = try await client.request("POST", "/containers/\(container.id)/\(path)")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}
