import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack stop [-t N] [SERVICE…]`: stop the running containers of the services (all by
/// default) in reverse dependency order — a service after those that depend on it; the
/// services named are stopped, not what they depend on. Containers are kept (`start` resumes).
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the services' running containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .long], help: "Seconds to wait for a container to stop before killing it.")
    var timeout: Int?
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let compose = try ComposeProject.load(global, services: services)
        try compose.check(services)
        let order = Array(compose.waves(compose.selection(services, dependencies: false)).reversed())
        let timeout = self.timeout
        try await EngineConnection.with { client in
            try await Self.stop(client, project: compose.name, order: order, timeout: timeout)
        }
    }

    /// Stop the running containers of the services in `order`'s waves, one wave after another,
    /// a wave's containers together (also what `rm -s` does).
    static func stop(_ client: APIClient, project: String, order: [[String]], timeout: Int?) async throws {
        let containers = try await ProjectContainers.list(client, project: project, all: true)
        let query = timeout.map { [("t", "\($0)")] } ?? []
        for wave in ContainerActions.grouped(containers, order: order, keep: ContainerActions.isUp) {
            try await ContainerActions.run(client, wave, done: "Stopped") { client, container in
                _ = try await client.request("POST", "/containers/\(container.id)/stop", query: query)
            }
        }
    }
}
