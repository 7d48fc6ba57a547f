import CSQLite
import StackCore

/// An open sqlite connection as seen inside a ``Database`` transaction or read: run SQL, query rows.
///
/// Not `Sendable`: it is handed to a body while the database lock is held and must not escape it.
/// Do not call the owning ``Database``'s methods from inside a body (the lock is not re-entrant).
public final class Connection {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more SQL statements without parameters (schema changes, pragmas).
    public func execute(_ sql: String, step: String? = nil) throws(StackError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw .store(step ?? Connection.summary(sql), SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text))
        }
    }

    /// Prepares a statement for repeated use.
    public func prepare(_ sql: String, step: String? = nil) throws(StackError) -> Statement {
        try Statement(database: handle, sql: sql, step: step ?? Connection.summary(sql))
    }

    /// Runs one statement with parameters and returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue] = [], step: String? = nil) throws(StackError) -> Int {
        let statement = try prepare(sql, step: step)
        try statement.bind(values)
        while try statement.next() {}
        return Int(sqlite3_changes64(handle))
    }

    /// Runs a query and maps every row.
    public func query<T>(
        _ sql: String, _ values: [SQLValue] = [], step: String? = nil, _ map: (Row) throws(StackError) -> T
    ) throws(StackError) -> [T] {
        let statement = try prepare(sql, step: step)
        try statement.bind(values)
        var results: [T] = []
        while try statement.next() {
            results.append(try map(statement.row))
        }
        return results
    }

    /// Runs a query and maps its first row, or returns nil when there is none.
    public func queryFirst<T>(
        _ sql: String, _ values: [SQLValue] = [], step: String? = nil, _ map: (Row) throws(StackError) -> T
    ) throws(StackError) -> T? {
        let statement = try prepare(sql, step: step)
        try statement.bind(values)
        guard try statement.next() else { return nil }
        return try map(statement.row)
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while no transaction is open.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// The schema version kept in `PRAGMA user_version`.
    public func userVersion() throws(StackError) -> Int {
        try queryFirst("PRAGMA user_version", step: "read schema version") { row in row.int(0) ?? 0 } ?? 0
    }

    /// Sets `PRAGMA user_version` (transactional: it is part of the open transaction).
    public func setUserVersion(_ version: Int) throws(StackError) {
        try execute("PRAGMA user_version = \(version)", step: "set schema version")
    }

    /// The error sqlite reports for result code `rc` on connection `handle`.
    static func error(_ handle: OpaquePointer?, _ rc: Int32) -> SQLiteError {
        guard let handle else { return SQLiteError(extendedCode: rc, message: String(cString: sqlite3_errstr(rc))) }
        let code = sqlite3_extended_errcode(handle)
        let message = sqlite3_errmsg(handle).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
        // A result code the connection no longer remembers (e.g. after a reset) keeps the caller's code.
        return SQLiteError(extendedCode: (code & 0xff) == (rc & 0xff) ? code : rc, message: message)
    }

    /// A short name for a statement without an explicit step: its first words.
    static func summary(_ sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(4)
        return words.joined(separator: " ")
    }
}
