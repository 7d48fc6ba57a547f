import ArgumentParser
import Foundation

/// `stack network inspect`: a JSON array of Docker-shaped network objects.
struct NetworkInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on networks.")
    @Argument(help: "Networks.") var networks: [String]

    func run() async throws {
        try await InspectOutput.print(networks) { client, reference in
            try await client.request("GET", "/networks/\(reference)")
        }
    }
}
