import StackCore

/// The `events` table: an append-only log with increasing sequence numbers (`stack events`).
public struct EventLog: Sendable {
    /// The database the table lives in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    /// Appends `event` and returns it with its sequence number.
    @discardableResult
    public func append(_ event: EventRecord) throws(StackError) -> EventRecord {
        try database.transaction { (connection) throws(StackError) in try append(event, in: connection) }
    }

    /// Appends `event` inside an open transaction.
    @discardableResult
    public func append(_ event: EventRecord, in connection: Connection) throws(StackError) -> EventRecord {
        try connection.run(
            "INSERT INTO events (time, type, action, actor_id, attributes) VALUES (?, ?, ?, ?, ?)",
            [
                .real(event.time), .text(event.type), .text(event.action), .text(event.actorID),
                .text(try JSONColumn.encode(event.attributes, column: "events.attributes")),
            ], step: "append event")
        var stored = event
        stored.seq = connection.lastInsertRowID
        return stored
    }

    /// Events in log order: those after sequence number `afterSeq`, at or after `since`, before or at `until`,
    /// at most `limit` of them (the oldest that match).
    public func list(
        afterSeq: Int64? = nil, since: Double? = nil, until: Double? = nil, limit: Int? = nil
    ) throws(StackError) -> [EventRecord] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let afterSeq {
            conditions.append("seq > ?")
            values.append(.integer(afterSeq))
        }
        if let since {
            conditions.append("time >= ?")
            values.append(.real(since))
        }
        if let until {
            conditions.append("time <= ?")
            values.append(.real(until))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        values.append(.integer(Int64(limit ?? -1)))
        let sql = "SELECT seq, time, type, action, actor_id, attributes FROM events \(filter) ORDER BY seq LIMIT ?"
        return try database.read { (connection) throws(StackError) in
            try connection.query(sql, values, step: "list events") { (row) throws(StackError) in
                let seq = row.int64(0) ?? 0
                return EventRecord(
                    seq: seq, time: row.double(1) ?? 0, type: row.string(2) ?? "", action: row.string(3) ?? "",
                    actorID: row.string(4) ?? "",
                    attributes: try JSONColumn.decode(
                        [String: String].self, row.string(5), column: "events.attributes of \(seq)", empty: [:]))
            }
        }
    }

    /// The newest sequence number, 0 when the log is empty.
    public func lastSeq() throws(StackError) -> Int64 {
        try database.read { (connection) throws(StackError) in
            try connection.queryFirst("SELECT max(seq) FROM events", step: "read last event") { row in row.int64(0) }
                .flatMap { $0 } ?? 0
        }
    }

    /// Deletes all but the newest `keeping` events; returns how many were deleted.
    @discardableResult
    public func prune(keeping: Int) throws(StackError) -> Int {
        try database.transaction { (connection) throws(StackError) in
            try connection.run(
                "DELETE FROM events WHERE seq <= (SELECT max(seq) FROM events) - ?", [.integer(Int64(max(0, keeping)))],
                step: "prune events")
        }
    }
}
