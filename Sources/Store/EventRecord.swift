/// One entry of the event log (`stack events`): Docker's type/action/actor shape.
public struct EventRecord: Sendable, Equatable {
    /// The log's sequence number, increasing; 0 for an event not yet appended.
    public var seq: Int64
    /// Seconds since the Unix epoch.
    public var time: Double
    /// `container`, `image`, `network`, …
    public var type: String
    /// `create`, `start`, `die`, `tag`, …
    public var action: String
    /// The object's id.
    public var actorID: String
    /// Docker's `Actor.Attributes` (name, image, exitCode, …).
    public var attributes: [String: String]

    /// Creates an event.
    public init(
        seq: Int64 = 0, time: Double, type: String, action: String, actorID: String,
        attributes: [String: String] = [:]
    ) {
        self.seq = seq
        self.time = time
        self.type = type
        self.action = action
        self.actorID = actorID
        self.attributes = attributes
    }
}
