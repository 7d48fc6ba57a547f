import StackCore

/// The `networks` table: typed reads and writes of ``NetworkRecord``.
///
/// Every method runs in its own transaction; the `in:` variants run inside a caller's
/// ``Database/transaction(_:)`` (a network and its event, or a network and its endpoints, commit together).
public struct NetworkTable: Sendable {
    /// The database the table lives in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, name, driver, scope, subnet, gateway, ip_range, internal, bridge, labels, options, created_at, is_default
        """

    // MARK: Writes

    /// Adds a new network. A taken name, id or bridge fails with `.conflict` naming it.
    public func insert(_ record: NetworkRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try insert(record, in: connection) }
    }

    /// Adds a new network inside an open transaction.
    public func insert(_ record: NetworkRecord, in connection: Connection) throws(StackError) {
        do {
            try connection.run(
                "INSERT INTO networks (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                try Self.values(record), step: "insert network")
        } catch {
            throw Self.explainUnique(error, record)
        }
    }

    /// Replaces every column of an existing network (matched by id).
    public func update(_ record: NetworkRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try update(record, in: connection) }
    }

    /// Replaces every column of an existing network inside an open transaction.
    public func update(_ record: NetworkRecord, in connection: Connection) throws(StackError) {
        var values = try Self.values(record)
        values.append(.text(record.id))
        let changed: Int
        do {
            changed = try connection.run(
                """
                UPDATE networks SET id = ?, name = ?, driver = ?, scope = ?, subnet = ?, gateway = ?, ip_range = ?,
                    internal = ?, bridge = ?, labels = ?, options = ?, created_at = ?, is_default = ?
                WHERE id = ?
                """, values, step: "update network")
        } catch {
            throw Self.explainUnique(error, record)
        }
        guard changed > 0 else { throw Self.noSuch(record.id) }
    }

    /// Deletes the network; fails with "No such network" when it does not exist and with `.conflict` while
    /// endpoints use it (delete those first: disconnect).
    public func delete(_ id: String) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try delete(id, in: connection) }
    }

    /// Deletes the network inside an open transaction.
    public func delete(_ id: String, in connection: Connection) throws(StackError) {
        guard let record = try get(id, in: connection) else { throw Self.noSuch(id) }
        let attached = try connection.queryFirst(
            "SELECT count(*) FROM endpoints WHERE network_id = ?", [.text(id)], step: "count network endpoints"
        ) { row in row.int(0) ?? 0 } ?? 0
        guard attached == 0 else {
            throw StackError(
                .conflict,
                "error while removing network: network \(record.name) id \(record.id) has active endpoints")
        }
        try connection.run("DELETE FROM networks WHERE id = ?", [.text(id)], step: "delete network")
    }

    // MARK: Reads

    /// The network with exactly this id, or nil.
    public func get(_ id: String) throws(StackError) -> NetworkRecord? {
        try database.read { (connection) throws(StackError) in try get(id, in: connection) }
    }

    /// The network with exactly this id, or nil, inside an open transaction.
    public func get(_ id: String, in connection: Connection) throws(StackError) -> NetworkRecord? {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM networks WHERE id = ?", [.text(id)], step: "get network", Self.record)
    }

    /// The network with exactly this name, or nil.
    public func find(name: String) throws(StackError) -> NetworkRecord? {
        try database.read { (connection) throws(StackError) in try find(name: name, in: connection) }
    }

    /// The network named `name`, inside an open transaction.
    public func find(name: String, in connection: Connection) throws(StackError) -> NetworkRecord? {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM networks WHERE name = ?", [.text(name)], step: "find network", Self.record)
    }

    /// Finds the network a user named: an exact id, then an exact name, then a unique id prefix (Docker's order).
    ///
    /// Fails with `.notFound` ("network X not found") when nothing matches, and with `.invalidArgument` naming
    /// the candidates when a prefix is ambiguous.
    public func resolve(reference: String) throws(StackError) -> NetworkRecord {
        try database.read { (connection) throws(StackError) in try resolve(reference: reference, in: connection) }
    }

    /// Resolves a user's reference inside an open transaction.
    public func resolve(reference: String, in connection: Connection) throws(StackError) -> NetworkRecord {
        guard !reference.isEmpty else { throw Self.noSuch(reference) }
        if let record = try get(reference, in: connection) { return record }
        if let record = try find(name: reference, in: connection) { return record }
        guard reference.allSatisfy(\.isHexDigit) else { throw Self.noSuch(reference) }
        let matches = try connection.query(
            "SELECT \(Self.columns) FROM networks WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 11",
            [.integer(Int64(reference.utf8.count)), .text(reference.lowercased())], step: "resolve network",
            Self.record)
        guard let first = matches.first else { throw Self.noSuch(reference) }
        guard matches.count == 1 else {
            let names = matches.prefix(10).map { "\($0.shortID) (\($0.name))" }.joined(separator: ", ")
            throw StackError(
                .invalidArgument,
                "network \(reference) is ambiguous (\(matches.count > 10 ? "more than 10" : "\(matches.count)") matches found): \(names)")
        }
        return first
    }

    /// Every network, sorted by name.
    public func list() throws(StackError) -> [NetworkRecord] {
        try database.read { (connection) throws(StackError) in try list(in: connection) }
    }

    /// Every network, sorted by name, inside an open transaction.
    public func list(in connection: Connection) throws(StackError) -> [NetworkRecord] {
        try connection.query(
            "SELECT \(Self.columns) FROM networks ORDER BY name, id", step: "list networks", Self.record)
    }

    // MARK: Mapping

    static func noSuch(_ reference: String) -> StackError {
        StackError(.notFound, "network \(reference) not found")
    }

    /// Turns a unique violation into a message naming what is taken (name, bridge or id).
    static func explainUnique(_ error: StackError, _ record: NetworkRecord) -> StackError {
        guard error.isUniqueViolation, let text = error.sqliteError?.message else { return error }
        var explained = error
        if text.contains("networks.name") {
            explained.message = "network with name \(record.name) already exists"
        } else if text.contains("networks.bridge") {
            explained.message = "bridge \(record.bridge) is already used by another network"
        } else if text.contains("networks.id") {
            explained.message = "network with id \(record.id) already exists"
        }
        explained.cause = nil
        return explained
    }

    static func values(_ record: NetworkRecord) throws(StackError) -> [SQLValue] {
        [
            .text(record.id), .text(record.name), .text(record.driver), .text(record.scope), .text(record.subnet),
            .text(record.gateway), SQLValue(record.ipRange), SQLValue(record.internal), .text(record.bridge),
            .text(try JSONColumn.encode(record.labels, column: "networks.labels")),
            .text(try JSONColumn.encode(record.options, column: "networks.options")), .text(record.createdAt),
            SQLValue(record.isDefault),
        ]
    }

    static func record(_ row: Row) throws(StackError) -> NetworkRecord {
        let id = row.string(0) ?? ""
        return NetworkRecord(
            id: id, name: row.string(1) ?? "", driver: row.string(2) ?? "bridge", scope: row.string(3) ?? "local",
            subnet: row.string(4) ?? "", gateway: row.string(5) ?? "", ipRange: row.string(6),
            internal: row.bool(7) ?? false, bridge: row.string(8) ?? "",
            labels: try JSONColumn.decode(
                [String: String].self, row.string(9), column: "networks.labels of \(id)", empty: [:]),
            options: try JSONColumn.decode(
                [String: String].self, row.string(10), column: "networks.options of \(id)", empty: [:]),
            createdAt: row.string(11) ?? "", isDefault: row.bool(12) ?? false)
    }
}
