import APIClient
import ArgumentParser
import Foundation

/// What every `inspect` command prints: one GET per reference, the answers as one pretty JSON
/// array (as `docker inspect`), errors reported per reference and exit status 1 if any failed.
enum InspectOutput {
    /// `request(client, reference)` fetches one object.
    static func print(
        _ references: [String], request: @escaping @Sendable (APIClient, String) async throws -> APIClientResponse
    ) async throws {
        var failed = false
        var objects: [Any] = []
        try await EngineConnection.with { client in
            for reference in references {
                do {
                    objects.append(try JSONSerialization.jsonObject(with: try await request(client, reference).body))
                } catch {
                    EngineConnection.report(error)
                    failed = true
                }
            }
        }
        let data = try JSONSerialization.data(
            withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.line(String(decoding: data, as: UTF8.self))
        if failed { throw ExitCode(1) }
    }
}
