import CSQLite
import StackCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One sqlite database file opened for the daemon: WAL journal, a busy timeout, foreign keys on.
///
/// All access goes through a lock around the single connection, so a `Database` can be shared between
/// threads and tasks. Writes run in ``transaction(_:)`` (BEGIN IMMEDIATE … COMMIT, ROLLBACK when the
/// body throws); several processes or handles may write the same file, waiting up to the busy timeout
/// for each other.
public final class Database: Sendable {
    /// The database file.
    public let path: String
    /// Serialises use of `connection`; every access to it happens with this lock held.
    private let lock = Mutex(())
    private nonisolated(unsafe) let connection: Connection

    /// Opens (creating with mode 0600 when absent) the database at `path`.
    ///
    /// - Parameter busyTimeout: how long a statement waits for another connection's lock before failing.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws(StackError) {
        self.path = path
        try Database.createFile(path)
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = Connection.error(handle, rc)
            sqlite3_close_v2(handle)
            throw .store("open \(path)", error)
        }
        let connection = Connection(handle: handle)
        sqlite3_extended_result_codes(handle, 1)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        try connection.execute("PRAGMA foreign_keys = ON", step: "enable foreign keys")
        try connection.execute("PRAGMA synchronous = NORMAL", step: "set synchronous mode")
        let mode = try connection.queryFirst("PRAGMA journal_mode = WAL", step: "enable WAL") { row in row.string(0) }
        guard mode??.lowercased() == "wal" else {
            throw StackError(.system, "store: open \(path): the file system refused WAL journal mode (got \(mode.flatMap { $0 } ?? "none"))")
        }
        self.connection = connection
    }

    /// Runs SQL statements (no parameters) outside an explicit transaction.
    public func execute(_ sql: String, step: String? = nil) throws(StackError) {
        try lock.withLock { (_) throws(StackError) in
            try connection.execute(sql, step: step)
        }
    }

    /// Runs `body` with the connection for reads: a deferred transaction, so all its queries see one snapshot.
    public func read<T>(_ body: (Connection) throws(StackError) -> T) throws(StackError) -> T {
        try lock.withLock { (_) throws(StackError) -> T in
            try Database.inTransaction(connection, begin: "BEGIN DEFERRED", body)
        }
    }

    /// Runs `body` in one write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK when `body` throws,
    /// so nothing it wrote is left half-done. Returns what `body` returns.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws(StackError) -> T) throws(StackError) -> T {
        try lock.withLock { (_) throws(StackError) -> T in
            try Database.inTransaction(connection, begin: "BEGIN IMMEDIATE", body)
        }
    }

    private static func inTransaction<T>(
        _ connection: Connection, begin: String, _ body: (Connection) throws(StackError) -> T
    ) throws(StackError) -> T {
        try connection.execute(begin, step: "begin transaction")
        do {
            let result = try body(connection)
            try connection.execute("COMMIT", step: "commit")
            return result
        } catch {
            if !connection.isAutocommit {
                // The original error is what matters; a failed rollback leaves sqlite to roll back on close.
                try? connection.execute("ROLLBACK", step: "rollback")
            }
            throw error
        }
    }

    /// Creates the file with mode 0600 if it does not exist, so sqlite (and its -wal/-shm files) inherit it.
    private static func createFile(_ path: String) throws(StackError) {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw StackError(.system, "store: open \(path): \(String(cString: strerror(code)))")
        }
        close(descriptor)
    }
}
