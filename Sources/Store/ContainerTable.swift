import StackCore

/// The `containers` table: typed reads and writes of ``ContainerRecord``.
///
/// Every method runs in its own transaction; the `in:` variants run inside a caller's
/// ``Database/transaction(_:)`` so several changes (a container and its event) commit together.
public struct ContainerTable: Sendable {
    /// The database the table lives in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, name, image_ref, image_id, created_at, state, pid, monitor_pid, exit_code, oom_killed,
        started_at, finished_at, restart_count, labels, config, spec_hash, error
        """

    // MARK: Writes

    /// Adds a new container. A taken name or id fails with ``StackCore/StackError/isUniqueViolation``.
    public func insert(_ record: ContainerRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try insert(record, in: connection) }
    }

    /// Adds a new container inside an open transaction.
    public func insert(_ record: ContainerRecord, in connection: Connection) throws(StackError) {
        try connection.run(
            "INSERT INTO containers (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            try Self.values(record), step: "insert container")
    }

    /// Replaces every column of an existing container (matched by id).
    public func update(_ record: ContainerRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try update(record, in: connection) }
    }

    /// Replaces every column of an existing container inside an open transaction.
    public func update(_ record: ContainerRecord, in connection: Connection) throws(StackError) {
        var values = try Self.values(record)
        values.append(.text(record.id))
        let changed = try connection.run(
            """
            UPDATE containers SET id = ?, name = ?, image_ref = ?, image_id = ?, created_at = ?, state = ?, pid = ?,
                monitor_pid = ?, exit_code = ?, oom_killed = ?, started_at = ?, finished_at = ?, restart_count = ?,
                labels = ?, config = ?, spec_hash = ?, error = ?
            WHERE id = ?
            """, values, step: "update container")
        guard changed > 0 else { throw Self.noSuch(record.id) }
    }

    /// Reads the container, lets `mutate` change it, and writes it back, all in one transaction.
    ///
    /// When `mutate` throws nothing is written. Returns the record as stored.
    @discardableResult
    public func updateState(
        _ id: String, _ mutate: (inout ContainerRecord) throws(StackError) -> Void
    ) throws(StackError) -> ContainerRecord {
        try database.transaction { (connection) throws(StackError) -> ContainerRecord in
            guard var record = try get(id, in: connection) else { throw Self.noSuch(id) }
            try mutate(&record)
            try update(record, in: connection)
            return record
        }
    }

    /// Deletes the container; fails with "No such container" when it does not exist.
    public func delete(_ id: String) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try delete(id, in: connection) }
    }

    /// Deletes the container inside an open transaction.
    public func delete(_ id: String, in connection: Connection) throws(StackError) {
        let changed = try connection.run("DELETE FROM containers WHERE id = ?", [.text(id)], step: "delete container")
        guard changed > 0 else { throw Self.noSuch(id) }
    }

    /// Gives the container a new name (a taken name fails with ``StackCore/StackError/isUniqueViolation``).
    @discardableResult
    public func rename(_ id: String, to newName: String) throws(StackError) -> ContainerRecord {
        try updateState(id) { record in record.name = newName }
    }

    // MARK: Reads

    /// The container with exactly this id, or nil.
    public func get(_ id: String) throws(StackError) -> ContainerRecord? {
        try database.read { (connection) throws(StackError) in try get(id, in: connection) }
    }

    /// The container with exactly this id, or nil, inside an open transaction.
    public func get(_ id: String, in connection: Connection) throws(StackError) -> ContainerRecord? {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM containers WHERE id = ?", [.text(id)], step: "get container", Self.record)
    }

    /// The container with exactly this name (a leading `/`, as Docker prints names, is ignored), or nil.
    public func find(name: String) throws(StackError) -> ContainerRecord? {
        try database.read { (connection) throws(StackError) in try find(name: name, in: connection) }
    }

    /// The container named `name`, inside an open transaction.
    public func find(name: String, in connection: Connection) throws(StackError) -> ContainerRecord? {
        let plain = name.hasPrefix("/") ? String(name.dropFirst()) : name
        return try connection.queryFirst(
            "SELECT \(Self.columns) FROM containers WHERE name = ?", [.text(plain)], step: "find container",
            Self.record)
    }

    /// Finds the container a user named: an exact id, then an exact name, then a unique id prefix.
    ///
    /// Fails with `No such container: X` when nothing matches, and names the candidates when a prefix is
    /// ambiguous.
    public func resolve(_ reference: String) throws(StackError) -> ContainerRecord {
        try database.read { (connection) throws(StackError) in try resolve(reference, in: connection) }
    }

    /// Resolves a user's reference inside an open transaction.
    public func resolve(_ reference: String, in connection: Connection) throws(StackError) -> ContainerRecord {
        guard !reference.isEmpty else { throw Self.noSuch(reference) }
        if let record = try get(reference, in: connection) { return record }
        if let record = try find(name: reference, in: connection) { return record }
        let matches = try connection.query(
            "SELECT \(Self.columns) FROM containers WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 11",
            [.integer(Int64(reference.utf8.count)), .text(reference)], step: "resolve container", Self.record)
        guard let first = matches.first else { throw Self.noSuch(reference) }
        guard matches.count == 1 else {
            let names = matches.prefix(10).map { "\($0.shortID) (\($0.name))" }.joined(separator: ", ")
            throw StackError(
                .invalidArgument,
                "multiple containers match the id prefix \(reference): \(names)\(matches.count > 10 ? ", …" : "")")
        }
        return first
    }

    /// The containers, newest first: all of them, or only those with live processes (`docker ps` without -a).
    public func list(all: Bool = true) throws(StackError) -> [ContainerRecord] {
        try database.read { (connection) throws(StackError) in
            let filter = all ? "" : "WHERE state IN ('running', 'paused', 'restarting')"
            return try connection.query(
                "SELECT \(Self.columns) FROM containers \(filter) ORDER BY created_at DESC, id",
                step: "list containers", Self.record)
        }
    }

    /// The ids of the containers created from `imageID` (an image in use cannot be deleted).
    public func ids(usingImage imageID: String) throws(StackError) -> [String] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT id FROM containers WHERE image_id = ? ORDER BY id", [.text(imageID)],
                step: "list containers by image"
            ) { row in row.string(0) ?? "" }
        }
    }

    // MARK: Mapping

    static func noSuch(_ reference: String) -> StackError {
        StackError(.notFound, "No such container: \(reference)")
    }

    static func values(_ record: ContainerRecord) throws(StackError) -> [SQLValue] {
        [
            .text(record.id), .text(record.name), SQLValue(record.imageRef), SQLValue(record.imageID),
            .real(record.createdAt), .text(record.state.rawValue), SQLValue(record.pid), SQLValue(record.monitorPID),
            SQLValue(record.exitCode), SQLValue(record.oomKilled), SQLValue(record.startedAt),
            SQLValue(record.finishedAt), SQLValue(record.restartCount),
            .text(try JSONColumn.encode(record.labels, column: "containers.labels")), .text(record.config),
            SQLValue(record.specHash), SQLValue(record.error),
        ]
    }

    static func record(_ row: Row) throws(StackError) -> ContainerRecord {
        let id = row.string(0) ?? ""
        guard let state = row.string(5).flatMap(ContainerState.init(rawValue:)) else {
            throw StackError(.internalError, "store: container \(id) has an unknown state \(row.string(5) ?? "NULL")")
        }
        return ContainerRecord(
            id: id, name: row.string(1) ?? "", imageRef: row.string(2), imageID: row.string(3),
            createdAt: row.double(4) ?? 0, state: state, pid: row.int32(6), monitorPID: row.int32(7),
            exitCode: row.int32(8), oomKilled: row.bool(9) ?? false, startedAt: row.double(10),
            finishedAt: row.double(11), restartCount: row.int(12) ?? 0,
            labels: try JSONColumn.decode(
                [String: String].self, row.string(13), column: "containers.labels of \(id)", empty: [:]),
            config: row.string(14) ?? "{}", specHash: row.string(15), error: row.string(16))
    }
}
