import ArgumentParser
import Foundation
import StackAPI

/// `stack container port CONTAINER [PRIVATE_PORT[/PROTO]]`: the published ports, as Docker prints
/// them (`80/tcp -> 0.0.0.0:32768`).
struct ContainerPort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "port", abstract: "List port mappings for the container.")
    @Argument(help: "The container.") var container: String
    @Argument(help: "A private port (80 or 80/udp).") var privatePort: String?

    func run() async throws {
        let container = self.container
        let inspect = try await EngineConnection.with { client in
            try EngineConnection.decode(ContainerInspect.self, try await client.request("GET", "/containers/\(container)/json"))
        }
        var wanted = privatePort
        if let port = wanted, !port.contains("/") { wanted = port + "/tcp" }
        var lines: [String] = []
        let ports = inspect.networkSettings?.ports ?? [:]
        for key in ports.keys.sorted(by: Self.portOrder) where wanted == nil || key == wanted {
            for binding in (ports[key] ?? nil) ?? [] {
                let address = "\(binding.hostIP.isEmpty ? "0.0.0.0" : binding.hostIP):\(binding.hostPort)"
                lines.append(wanted == nil ? "\(key) -> \(address)" : address)
            }
        }
        if let wanted, lines.isEmpty {
            FileHandle.standardError.write(Data("stack: Error: No public port '\(wanted)' published for \(container)\n".utf8))
            throw ExitCode(1)
        }
        for line in lines { Output.line(line) }
    }

    /// By port number, then protocol.
    static func portOrder(_ a: String, _ b: String) -> Bool {
        let (pa, pb) = (Int(a.prefix { $0.isNumber }) ?? 0, Int(b.prefix { $0.isNumber }) ?? 0)
        return pa != pb ? pa < pb : a < b
    }
}
