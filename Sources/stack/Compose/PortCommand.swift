import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore

/// `stack port [--index N] [--protocol tcp|udp] SERVICE PRIVATE_PORT`: the public address a
/// service container's port is published on, printed `IP:PORT` as Compose does.
struct PortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "port", abstract: "Print the public port for a port binding.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Index of the container if the service has several replicas.") var index = 1
    @Option(name: .long, help: "tcp or udp.") var `protocol` = "tcp"
    @Argument(help: "The service.") var service: String
    @Argument(help: "The private port.") var privatePort: UInt16

    func validate() throws {
        guard ["tcp", "udp", "sctp"].contains(`protocol`) else { throw ValidationError("--protocol must be tcp or udp") }
        guard index >= 1 else { throw ValidationError("--index must be 1 or more") }
    }

    func run() async throws {
        let project = try ProjectContainers.projectName(global)
        let (service, index, port, proto) = (self.service, self.index, self.privatePort, self.protocol)
        let address: String = try await EngineConnection.with { client in
            let running = try await ProjectContainers.list(client, project: project, all: false, services: [service])
            guard let container = running.first(where: { $0.labels[ComposeLabel.containerNumber] == String(index) }) else {
                throw StackError(.notFound, "no container found for \(service)-\(index)")
            }
            guard let binding = Self.binding(container.ports, port: port, protocol: proto) else {
                let published = container.ports.compactMap { $0.publicPort.map { "\($0)/\(proto)" } }
                throw StackError(
                    .notFound,
                    "no port \(port)/\(proto) for container \(ProjectContainers.name(container)): \(published.joined(separator: ", "))")
            }
            return binding
        }
        Output.line(address)
    }

    /// `IP:PORT` of the first published binding of `port`/`protocol`.
    static func binding(_ ports: [ContainerPortSummary], port: UInt16, protocol proto: String) -> String? {
        guard let match = ports.first(where: { $0.privatePort == port && $0.type == proto && $0.publicPort != nil }),
            let published = match.publicPort
        else { return nil }
        return "\(match.ip.isEmpty ? "0.0.0.0" : match.ip):\(published)"
    }
}
