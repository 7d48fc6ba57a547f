import ArgumentParser
import Foundation
import StackAPI

/// `stack container inspect`: a JSON array of Docker-shaped objects, as `docker inspect` prints.
struct ContainerInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on containers.")
    @Argument(help: "Containers.") var containers: [String]

    func run() async throws {
        var failed = false
        var objects: [Any] = []
        try await EngineConnection.with { client in
            for container in containers {
                do {
                    let response = try await client.request("GET", "/containers/\(container)/json")
                    objects.append(try JSONSerialization.jsonObject(with: response.body))
                } catch {
                    EngineConnection.report(error)
                    failed = true
                }
            }
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.line(String(decoding: data, as: UTF8.self))
        if failed { throw ExitCode(1) }
    }
}
