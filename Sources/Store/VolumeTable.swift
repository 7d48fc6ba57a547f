import StackCore

/// The `volumes` and `volume_users` tables: volume records and which containers use which volume,
/// so "volume is in use" can name the containers.
public struct VolumeTable: Sendable {
    /// The database the tables live in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    static let columns = "name, driver, labels, options, created_at, anonymous"

    // MARK: Volumes

    /// Adds a volume; a taken name fails with `.conflict`.
    public func insert(_ record: VolumeRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try insert(record, in: connection) }
    }

    /// Adds a volume inside an open transaction.
    public func insert(_ record: VolumeRecord, in connection: Connection) throws(StackError) {
        do {
            try connection.run(
                "INSERT INTO volumes (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .text(record.name), .text(record.driver),
                    .text(try JSONColumn.encode(record.labels, column: "volumes.labels")),
                    .text(try JSONColumn.encode(record.options, column: "volumes.options")), .text(record.createdAt),
                    .integer(record.anonymous ? 1 : 0),
                ], step: "insert volume")
        } catch where error.isUniqueViolation {
            throw StackError(.conflict, "volume \(record.name) already exists", cause: error)
        }
    }

    /// The volume with this name, or nil.
    public func get(_ name: String) throws(StackError) -> VolumeRecord? {
        try database.read { (connection) throws(StackError) in try get(name, in: connection) }
    }

    /// The volume with this name inside an open transaction.
    public func get(_ name: String, in connection: Connection) throws(StackError) -> VolumeRecord? {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM volumes WHERE name = ?", [.text(name)], step: "get volume", Self.record)
    }

    /// Every volume, by name.
    public func list() throws(StackError) -> [VolumeRecord] {
        try database.read { (connection) throws(StackError) in
            try connection.query("SELECT \(Self.columns) FROM volumes ORDER BY name", step: "list volumes", Self.record)
        }
    }

    /// Deletes the volume's record. Fails with `.notFound` when there is none and with `.conflict`
    /// (naming the containers, as Docker does) while containers use it.
    public func delete(_ name: String) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try delete(name, in: connection) }
    }

    /// Deletes the volume's record inside an open transaction (see `delete(_:)`).
    public func delete(_ name: String, in connection: Connection) throws(StackError) {
        let containers = try users(volume: name, in: connection)
        if !containers.isEmpty {
            throw StackError(.conflict, "remove \(name): volume is in use - [\(containers.joined(separator: ", "))]")
        }
        let changed = try connection.run("DELETE FROM volumes WHERE name = ?", [.text(name)], step: "delete volume")
        guard changed > 0 else { throw StackError(.notFound, "get \(name): no such volume") }
    }

    // MARK: Users

    /// The ids of the containers using the volume, sorted.
    public func users(volume: String) throws(StackError) -> [String] {
        try database.read { (connection) throws(StackError) in try users(volume: volume, in: connection) }
    }

    /// The ids of the containers using the volume inside an open transaction.
    public func users(volume: String, in connection: Connection) throws(StackError) -> [String] {
        try connection.query(
            "SELECT container_id FROM volume_users WHERE volume = ? ORDER BY container_id", [.text(volume)],
            step: "list volume users"
        ) { row in row.string(0) ?? "" }
    }

    /// The volumes a container uses, sorted.
    public func volumes(container: String) throws(StackError) -> [String] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT volume FROM volume_users WHERE container_id = ? ORDER BY volume", [.text(container)],
                step: "list container volumes"
            ) { row in row.string(0) ?? "" }
        }
    }

    /// Records that `container` uses exactly `volumes` (replacing what was recorded for it).
    ///
    /// The container and every volume must exist (`.notFound` otherwise); removing the container
    /// removes its rows.
    public func setUsers(container: String, volumes: [String]) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            try setUsers(container: container, volumes: volumes, in: connection)
        }
    }

    /// Records the container's volumes inside an open transaction.
    public func setUsers(container: String, volumes: [String], in connection: Connection) throws(StackError) {
        try removeUsers(container: container, in: connection)
        for volume in Set(volumes).sorted() {
            do {
                try connection.run(
                    "INSERT INTO volume_users (volume, container_id) VALUES (?, ?)", [.text(volume), .text(container)],
                    step: "record volume user")
            } catch where error.sqliteError?.isForeignKeyViolation == true {
                let what = try get(volume, in: connection) == nil ? "volume \(volume)" : "container \(container)"
                throw StackError(.notFound, "record volume user: no such \(what)", cause: error)
            }
        }
    }

    /// Forgets every volume the container used (it was removed).
    public func removeUsers(container: String) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try removeUsers(container: container, in: connection) }
    }

    /// Forgets the container's volumes inside an open transaction.
    public func removeUsers(container: String, in connection: Connection) throws(StackError) {
        try connection.run(
            "DELETE FROM volume_users WHERE container_id = ?", [.text(container)], step: "forget volume users")
    }

    static func record(_ row: Row) throws(StackError) -> VolumeRecord {
        let name = row.string(0) ?? ""
        return VolumeRecord(
            name: name, driver: row.string(1) ?? "local",
            labels: try JSONColumn.decode([String: String].self, row.string(2), column: "volumes.labels of \(name)", empty: [:]),
            options: try JSONColumn.decode(
                [String: String].self, row.string(3), column: "volumes.options of \(name)", empty: [:]),
            createdAt: row.string(4) ?? "", anonymous: (row.int64(5) ?? 0) != 0)
    }
}
