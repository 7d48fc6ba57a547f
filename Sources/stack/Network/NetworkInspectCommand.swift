import ArgumentParser
import Foundation

/// `stack network inspect`: a JSON array of Docker-shaped network objects.
struct NetworkInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on networks.")
    @Argument(help: "Networks.") var networks: [String]

    func run() async throws {
        var failed = false
        var objects: [Any] = []
        try await EngineConnection.with { client in
            for network in networks {
                do {
                    let response = try await client.request("GET", "/networks/\(network)")
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
