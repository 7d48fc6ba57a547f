import APIServer
import Engine
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /events`: Docker's event stream, one JSON object per line.
enum EventRoutes {
    static func register(on router: Router, engine: ContainerEngine) {
        router.get("/events") { request in
            let since = request.query("since").flatMap(Double.init)
            let until = request.query("until").flatMap(Double.init)
            let events = engine.events(since: since, until: until)
            let lines = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let task = Task {
                    do {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys]
                        for try await event in events {
                            continuation.yield(Array(try encoder.encode(event)) + [10])
                        }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in task.cancel() }
            }
            return .stream(.ok, contentType: "application/json", lines)
        }
    }
}
