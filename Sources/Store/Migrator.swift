import StackCore

/// Brings a database's schema (`PRAGMA user_version`) up to the newest of an ordered list of steps.
///
/// Each pending step runs in its own transaction together with the version bump, so a failed step leaves
/// the database at the previous version. A database whose version is newer than the list is refused.
public struct Migrator: Sendable {
    /// The steps, versions 1…n in order.
    public let migrations: [Migration]

    /// Checks that `migrations` are numbered 1…n without gaps.
    public init(_ migrations: [Migration]) throws(StackError) {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw StackError(
                .internalError,
                "store: migration \(index + 1) (\(migration.summary)) is numbered \(migration.version)")
        }
        self.migrations = migrations
    }

    /// The version the database has after ``migrate(_:)``.
    public var latestVersion: Int { migrations.count }

    /// Applies every step newer than the database's version; returns the versions applied (empty when current).
    @discardableResult
    public func migrate(_ database: Database) throws(StackError) -> [Int] {
        let current = try database.read { (connection) throws(StackError) in try connection.userVersion() }
        try refuseNewer(current, database)
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            let didApply = try database.transaction { (connection) throws(StackError) -> Bool in
                // Another process may have migrated between the read above and this lock.
                let version = try connection.userVersion()
                try refuseNewer(version, database)
                guard version < migration.version else { return false }
                guard version == migration.version - 1 else {
                    throw StackError(
                        .internalError,
                        "store: \(database.path) is at schema version \(version), expected \(migration.version - 1)")
                }
                try migration.apply(connection)
                try connection.setUserVersion(migration.version)
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    private func refuseNewer(_ version: Int, _ database: Database) throws(StackError) {
        guard version <= latestVersion else {
            throw StackError(
                .unsupported,
                "store: \(database.path) has schema version \(version), newer than this program understands "
                    + "(\(latestVersion)); it was written by a newer stackd — upgrade stack or use another --root")
        }
    }
}
