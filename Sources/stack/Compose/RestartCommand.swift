import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack restart [-t N] [--no-deps] [SERVICE…]`: restart the services' containers (stopped
/// ones are started) in dependency order, together with what they depend on unless
/// `--no-deps`, as Compose. The containers are kept: same ids, no configuration change.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart the services' containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .long], help: "Seconds to wait for a container to stop before killing it.")
    var timeout: Int?
    @Flag(name: .customLong("no-deps"), help: "Don't restart the services' dependencies.") var noDeps = false
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let compose = try ComposeProject.load(global, services: services)
        try compose.check(services)
        let order = compose.waves(compose.selection(services, dependencies: !noDeps))
        let query = timeout.map { [("t", "\($0)")] } ?? []
        try await EngineConnection.with { client in
            let containers = try await ProjectContainers.list(client, project: compose.name, all: true)
            for wave in ContainerActions.grouped(containers, order: order) {
                try await ContainerActions.run(client, wave, done: "Started") { client, container in
                    _ = try await client.request("POST", "/containers/\(container.id)/restart", query: query)
                }
            }
        }
    }
}
