import StackCore

/// The `meta` table: small daemon-wide values by key (e.g. the daemon's instance id).
public struct MetaTable: Sendable {
    /// The database the table lives in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    /// The value stored under `key`, or nil.
    public func get(_ key: String) throws(StackError) -> String? {
        try database.read { (connection) throws(StackError) in
            try connection.queryFirst("SELECT value FROM meta WHERE key = ?", [.text(key)], step: "get meta \(key)") {
                row in row.string(0)
            }.flatMap { $0 }
        }
    }

    /// Stores `value` under `key`, replacing what was there; nil removes the key.
    public func set(_ key: String, _ value: String?) throws(StackError) {
        try database.transaction { (connection) throws(StackError) -> Void in
            if let value {
                try connection.run(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [.text(key), .text(value)], step: "set meta \(key)")
            } else {
                try connection.run("DELETE FROM meta WHERE key = ?", [.text(key)], step: "delete meta \(key)")
            }
        }
    }

    /// The value under `key`, storing `make()`'s result first when there is none (atomically).
    public func getOrSet(_ key: String, _ make: () -> String) throws(StackError) -> String {
        try database.transaction { (connection) throws(StackError) -> String in
            if let value = try connection.queryFirst(
                "SELECT value FROM meta WHERE key = ?", [.text(key)], step: "get meta \(key)", { row in row.string(0) }
            ).flatMap({ $0 }) {
                return value
            }
            let value = make()
            try connection.run("INSERT INTO meta (key, value) VALUES (?, ?)", [.text(key), .text(value)], step: "set meta \(key)")
            return value
        }
    }
}
