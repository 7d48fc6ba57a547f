import StackCore
import Store

/// One event as Docker's `GET /events` streams it (one JSON object per line).
public struct EngineEvent: Codable, Sendable, Hashable {
    public struct Actor: Codable, Sendable, Hashable {
        public var id: String
        public var attributes: [String: String]
        enum CodingKeys: String, CodingKey { case id = "ID", attributes = "Attributes" }
    }

    public var type: String
    public var action: String
    public var actor: Actor
    public var scope = "local"
    /// Seconds since the epoch.
    public var time: Int64
    public var timeNano: Int64

    enum CodingKeys: String, CodingKey {
        case type = "Type", action = "Action", actor = "Actor", scope, time, timeNano
    }

    init(_ record: EventRecord) {
        type = record.type
        action = record.action
        actor = Actor(id: record.actorID, attributes: record.attributes)
        time = Int64(record.time)
        timeNano = Int64(record.time * 1e9)
    }
}

extension ContainerEngine {
    /// `GET /events`: recorded events since `since` (seconds) and then new ones as they happen,
    /// until `until` passes (or, without it, until the client goes away).
    public nonisolated func events(since: Double?, until: Double?) -> AsyncThrowingStream<EngineEvent, any Error> {
        let store = self.store
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var last: Int64 = since == nil ? try store.events.lastSeq() : 0
                    while !Task.isCancelled {
                        for record in try store.events.list(afterSeq: last, since: since, until: until) {
                            continuation.yield(EngineEvent(record))
                            last = record.seq
                        }
                        if let until, TimeText.now() > until { break }
                        try await Task.sleep(nanoseconds: 100_000_000)
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
