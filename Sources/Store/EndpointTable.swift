import StackCore

/// The `endpoints` table: which containers are attached to which networks, with what address.
///
/// The table guarantees that no address is handed out twice on a network (also across daemon restarts) and
/// that a container is attached to a network at most once. Deleting a container's record deletes its
/// endpoints (`ON DELETE CASCADE`).
public struct EndpointTable: Sendable {
    /// The database the table lives in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, network_id, container_id, address, mac_address, aliases, static_address, interface_name, created_at
        """

    // MARK: Writes

    /// Adds an endpoint.
    ///
    /// Fails with `.notFound` for an unknown network or container, and with `.conflict` when the address is
    /// in use on the network, the container is already attached to it, or the container already has an
    /// interface of that name; the messages name the address, container and network.
    public func insert(_ record: EndpointRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try insert(record, in: connection) }
    }

    /// Adds an endpoint inside an open transaction.
    public func insert(_ record: EndpointRecord, in connection: Connection) throws(StackError) {
        guard let network = try NetworkTable(database: database).get(record.networkID, in: connection) else {
            throw NetworkTable.noSuch(record.networkID)
        }
        let containerName = try connection.queryFirst(
            "SELECT name FROM containers WHERE id = ?", [.text(record.containerID)], step: "get container name"
        ) { row in row.string(0) ?? "" }
        guard let containerName else { throw ContainerTable.noSuch(record.containerID) }
        if try get(network: record.networkID, container: record.containerID, in: connection) != nil {
            throw StackError(
                .conflict, "container \(containerName) is already attached to network \(network.name)")
        }
        if let holder = try queryFirst(
            "network_id = ? AND address = ?", [.text(record.networkID), .text(record.address)], in: connection)
        {
            let holderName = try name(of: holder.containerID, in: connection)
            throw StackError(
                .conflict,
                "Address already in use: \(record.address) on network \(network.name) (container \(holderName))")
        }
        if try queryFirst(
            "container_id = ? AND interface_name = ?", [.text(record.containerID), .text(record.interfaceName)],
            in: connection) != nil
        {
            throw StackError(.conflict, "container \(containerName) already has an interface \(record.interfaceName)")
        }
        try connection.run(
            "INSERT INTO endpoints (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", try Self.values(record),
            step: "insert endpoint")
    }

    /// Replaces every column of an existing endpoint (matched by id); the unique constraints still hold.
    public func update(_ record: EndpointRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            var values = try Self.values(record)
            values.append(.text(record.id))
            let changed = try connection.run(
                """
                UPDATE endpoints SET id = ?, network_id = ?, container_id = ?, address = ?, mac_address = ?,
                    aliases = ?, static_address = ?, interface_name = ?, created_at = ?
                WHERE id = ?
                """, values, step: "update endpoint")
            guard changed > 0 else { throw StackError(.notFound, "No such endpoint: \(record.id)") }
        }
    }

    /// Detaches the container from the network; fails with `.notFound` when it is not attached.
    public func delete(network networkID: String, container containerID: String) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            try delete(network: networkID, container: containerID, in: connection)
        }
    }

    /// Detaches the container from the network inside an open transaction.
    public func delete(network networkID: String, container containerID: String, in connection: Connection)
        throws(StackError)
    {
        let changed = try connection.run(
            "DELETE FROM endpoints WHERE network_id = ? AND container_id = ?",
            [.text(networkID), .text(containerID)], step: "delete endpoint")
        guard changed > 0 else {
            throw StackError(.notFound, "container \(containerID) is not connected to network \(networkID)")
        }
    }

    /// Detaches the container from every network; returns the endpoints removed (in interface order).
    @discardableResult
    public func deleteAll(container containerID: String) throws(StackError) -> [EndpointRecord] {
        try database.transaction { (connection) throws(StackError) -> [EndpointRecord] in
            try deleteAll(container: containerID, in: connection)
        }
    }

    /// Detaches the container from every network inside an open transaction.
    @discardableResult
    public func deleteAll(container containerID: String, in connection: Connection) throws(StackError)
        -> [EndpointRecord]
    {
        let removed = try list(container: containerID, in: connection)
        try connection.run(
            "DELETE FROM endpoints WHERE container_id = ?", [.text(containerID)], step: "delete container endpoints")
        return removed
    }

    // MARK: Reads

    /// The network's endpoints in the order they were created (then by id).
    public func list(network networkID: String) throws(StackError) -> [EndpointRecord] {
        try database.read { (connection) throws(StackError) in try list(network: networkID, in: connection) }
    }

    /// The network's endpoints inside an open transaction.
    public func list(network networkID: String, in connection: Connection) throws(StackError) -> [EndpointRecord] {
        try connection.query(
            "SELECT \(Self.columns) FROM endpoints WHERE network_id = ? ORDER BY created_at, id",
            [.text(networkID)], step: "list network endpoints", Self.record)
    }

    /// The container's endpoints in interface order (`eth0`, `eth1`, … — `eth10` after `eth9`).
    public func list(container containerID: String) throws(StackError) -> [EndpointRecord] {
        try database.read { (connection) throws(StackError) in try list(container: containerID, in: connection) }
    }

    /// The container's endpoints in interface order inside an open transaction.
    public func list(container containerID: String, in connection: Connection) throws(StackError)
        -> [EndpointRecord]
    {
        try connection.query(
            """
            SELECT \(Self.columns) FROM endpoints WHERE container_id = ?
            ORDER BY length(interface_name), interface_name
            """, [.text(containerID)], step: "list container endpoints", Self.record)
    }

    /// Every endpoint (for reconciliation and DNS tables), by network then creation.
    public func listAll() throws(StackError) -> [EndpointRecord] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT \(Self.columns) FROM endpoints ORDER BY network_id, created_at, id", step: "list endpoints",
                Self.record)
        }
    }

    /// The container's endpoint on the network, or nil.
    public func get(network networkID: String, container containerID: String) throws(StackError) -> EndpointRecord? {
        try database.read { (connection) throws(StackError) in
            try get(network: networkID, container: containerID, in: connection)
        }
    }

    /// The container's endpoint on the network inside an open transaction.
    public func get(network networkID: String, container containerID: String, in connection: Connection)
        throws(StackError) -> EndpointRecord?
    {
        try queryFirst("network_id = ? AND container_id = ?", [.text(networkID), .text(containerID)], in: connection)
    }

    /// The addresses in use on the network (what `IPAM.AddressAllocator` must not hand out).
    public func addresses(network networkID: String) throws(StackError) -> Set<String> {
        try database.read { (connection) throws(StackError) in try addresses(network: networkID, in: connection) }
    }

    /// The addresses in use on the network inside an open transaction.
    public func addresses(network networkID: String, in connection: Connection) throws(StackError) -> Set<String> {
        Set(
            try connection.query(
                "SELECT address FROM endpoints WHERE network_id = ?", [.text(networkID)],
                step: "list network addresses"
            ) { row in row.string(0) ?? "" })
    }

    /// The lowest `ethN` the container does not use yet (`eth0` for a container without endpoints).
    public func nextInterfaceName(container containerID: String) throws(StackError) -> String {
        try database.read { (connection) throws(StackError) in
            try nextInterfaceName(container: containerID, in: connection)
        }
    }

    /// The lowest free `ethN` of the container inside an open transaction.
    public func nextInterfaceName(container containerID: String, in connection: Connection) throws(StackError)
        -> String
    {
        let used = Set(try list(container: containerID, in: connection).map(\.interfaceName))
        var index = 0
        while used.contains("eth\(index)") { index += 1 }
        return "eth\(index)"
    }

    // MARK: Mapping

    private func queryFirst(_ condition: String, _ values: [SQLValue], in connection: Connection) throws(StackError)
        -> EndpointRecord?
    {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM endpoints WHERE \(condition)", values, step: "get endpoint", Self.record)
    }

    private func name(of containerID: String, in connection: Connection) throws(StackError) -> String {
        try connection.queryFirst(
            "SELECT name FROM containers WHERE id = ?", [.text(containerID)], step: "get container name"
        ) { row in row.string(0) ?? containerID } ?? containerID
    }

    static func values(_ record: EndpointRecord) throws(StackError) -> [SQLValue] {
        [
            .text(record.id), .text(record.networkID), .text(record.containerID), .text(record.address),
            .text(record.macAddress), .text(try JSONColumn.encode(record.aliases, column: "endpoints.aliases")),
            SQLValue(record.staticAddress), .text(record.interfaceName), .text(record.createdAt),
        ]
    }

    static func record(_ row: Row) throws(StackError) -> EndpointRecord {
        let id = row.string(0) ?? ""
        return EndpointRecord(
            id: id, networkID: row.string(1) ?? "", containerID: row.string(2) ?? "", address: row.string(3) ?? "",
            macAddress: row.string(4) ?? "",
            aliases: try JSONColumn.decode([String].self, row.string(5), column: "endpoints.aliases of \(id)", empty: []),
            staticAddress: row.bool(6) ?? false, interfaceName: row.string(7) ?? "", createdAt: row.string(8) ?? "")
    }
}
