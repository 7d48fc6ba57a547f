import StackCore

/// stackd's state: one migrated sqlite database and typed access to its tables.
///
/// ```swift
/// let store = try StateStore(path: root + "/state.db")
/// try store.containers.insert(record)
/// let container = try store.containers.resolve("web")
/// ```
public final class StateStore: Sendable {
    /// The underlying database, for transactions that span tables (use the tables' `in:` methods inside).
    public let database: Database
    /// Containers.
    public let containers: ContainerTable
    /// Images and their tags.
    public let images: ImageTable
    /// The event log.
    public let events: EventLog
    /// Volumes and the containers using them.
    public let volumes: VolumeTable
    /// Daemon-wide key/value metadata.
    public let meta: MetaTable
    /// Networks.
    public let networks: NetworkTable
    /// Containers' attachments to networks (deleted with their container).
    public let endpoints: EndpointTable
    /// The journal of the plans stackd carries out (`up`, `down`).
    public let deployments: DeploymentTable

    /// Opens (creating when absent) the database at `path` and applies pending migrations.
    ///
    /// Fails when the file's schema is newer than `migrations` knows.
    public convenience init(path: String, migrations: [Migration] = Schema.migrations) throws(StackError) {
        try self.init(database: try Database(path: path), migrations: migrations)
    }

    /// Migrates an open database and wraps it.
    public init(database: Database, migrations: [Migration] = Schema.migrations) throws(StackError) {
        try Migrator(migrations).migrate(database)
        self.database = database
        containers = ContainerTable(database: database)
        images = ImageTable(database: database)
        events = EventLog(database: database)
        volumes = VolumeTable(database: database)
        meta = MetaTable(database: database)
        networks = NetworkTable(database: database)
        endpoints = EndpointTable(database: database)
        deployments = DeploymentTable(database: database)
    }

    /// Runs `body` in one write transaction (see ``Database/transaction(_:)``).
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws(StackError) -> T) throws(StackError) -> T {
        try database.transaction(body)
    }
}
