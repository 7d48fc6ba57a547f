import ArgumentParser
import Foundation
import StackAPI

/// `stack container inspect`: a JSON array of Docker-shaped objects, as `docker inspect` prints.
struct ContainerInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on containers.")
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        try await InspectOutput.print(containers) { client, reference in
            try await client.request("GET", "/containers/\(reference)/json")
        }
    }
}
