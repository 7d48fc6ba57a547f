import APIClient
import Foundation

/// One event of stackd's `GET /events` (Docker's shape, the fields the CLI uses).
struct EngineEventLine: Decodable, Sendable {
    struct Actor: Decodable, Sendable {
        var id: String
        var attributes: [String: String]?
        enum CodingKeys: String, CodingKey { case id = "ID", attributes = "Attributes" }
    }

    var type: String
    var action: String
    var actor: Actor
    var timeNano: Int64?

    enum CodingKeys: String, CodingKey { case type = "Type", action = "Action", actor = "Actor", timeNano }

    /// Events since `since` (seconds since the epoch, recorded ones first), then new ones as they
    /// happen, until the task reading them is cancelled or the daemon goes away.
    static func stream(_ client: APIClient, since: Double) async throws -> AsyncThrowingStream<EngineEventLine, any Error> {
        let chunks = try await client.stream("GET", "/events", query: [("since", String(format: "%.6f", since))])
        return AsyncThrowingStream { continuation in
            let task = Task {
                var lines = LineSplitter()
                let decoder = JSONDecoder()
                do {
                    for try await chunk in chunks {
                        lines.feed(chunk) { line in
                            if let event = try? decoder.decode(EngineEventLine.self, from: Data(line)) {
                                continuation.yield(event)
                            }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
